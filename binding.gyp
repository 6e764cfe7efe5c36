# node-gyp build: the source fallback of scripts/install/install.js. It builds what CMakeLists.txt
# builds (addon, the eap_methods module, the portable EAPHost, the method manifest) from the
# same list, native/sources.json, through scripts/install/sources.js.
{
  "variables": {
    # MSVC-only ABI layout check: compiled in a checkout, absent from the npm package.
    "sdk_layout_check%": "<!(node -p \"+require('./native/sources.json').sdk_layout_check_msvc.every(require('fs').existsSync)\")",
    # Warnings as errors only when asked (EAPHOST_WERROR=1, this project's own builds): this file
    # is the consumer's source-build fallback, which must not fail on a compiler's new warning.
    "eaphost_werror%": "<!(node -p \"process.env.EAPHOST_WERROR === '1' ? 1 : 0\")",
    # The stand-in eappprxy.dll (the portable EAPHost built for Windows) exists for this
    # repository's Wine lane, whose scripts the npm package does not ship: a consumer's source
    # build must not put a second eappprxy.dll in its build/Release, where a bare-name load of
    # eappprxy.dll in that process could find it before System32's.
    "eaphost_standin%": "<!(node -p \"+require('fs').existsSync('scripts/wine/run.sh')\")",
    # The test-only contract probe export: a checkout's test lanes only (the package ships no test/).
    "eaphost_contract_probe%": "<!(node -p \"+require('fs').existsSync('test/standin-contract.test.ts')\")",
    # GnuTLS for Windows (scripts/ci/gnutls-mingw.sh prints the prefix); unused elsewhere.
    "gnutls_prefix%": "<!(node -p \"(process.env.EAPHOST_GNUTLS_PREFIX || '').split(require('path').sep).join('/')\")",
    # Whether this build compiles the TLS engine and the methods on it: scripts/shipped-methods.js
    # decides, as for CMakeLists.txt and the prebuilds (not on win32-arm64, nor on Windows without
    # EAPHOST_GNUTLS_PREFIX), and prints the one line saying what a build without it leaves out.
    "tls_engine%": "<!(node scripts/shipped-methods.js tls-engine <(OS) <(target_arch))",
    # lib.exe's name for the machine (the import library made from GnuTLS's .def).
    "lib_machine%": "<!(node -p \"({ia32: 'X86', x64: 'X64', arm64: 'ARM64'})['<(target_arch)'] || ''\")"
  },
  "target_defaults": {
    # As strict as MSVC's /W4: unused parameters (C4100) and shadowing (C4456-C4459).
    "cflags_cc": ["-std=c++17", "-fexceptions", "-Wall", "-Wextra", "-Wshadow", "-fvisibility=hidden"],
    "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17"],
    "xcode_settings": {"GCC_ENABLE_CPP_EXCEPTIONS": "YES", "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
                       "GCC_SYMBOLS_PRIVATE_EXTERN": "YES", "WARNING_CFLAGS": ["-Wall", "-Wextra", "-Wshadow"]},
    # Exceptions and RTTI on Windows: scripts/install/windows-cxx.gypi, included by each target.
    "msvs_settings": {"VCCLCompilerTool": {"AdditionalOptions": ["/std:c++17", "/W4"]}},
    "conditions": [
      ["eaphost_werror==1", {
        "cflags_cc": ["-Werror"],
        "xcode_settings": {"GCC_TREAT_WARNINGS_AS_ERRORS": "YES"},
        "msvs_settings": {"VCCLCompilerTool": {"WarnAsError": "true"}}
      }]
    ]
  },
  "targets": [
    {
      "target_name": "eaphost",
      "includes": ["scripts/install/windows-cxx.gypi"],
      "sources": ["<!@(node scripts/install/sources.js --unity common hosts platform_loader platform addon eapol radius)"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_CPP_EXCEPTIONS_ALL", "NODE_ADDON_API_DISABLE_DEPRECATED", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"],
      "conditions": [
        # node-addon-api's headers as system headers, as CMakeLists.txt takes them: -Wshadow would
        # otherwise warn in napi-inl.h, and fail an EAPHOST_WERROR=1 build, on code not ours.
        ["OS=='win'", {
          "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"]
        }, {
          # Absolute: gyp rebases include_dirs, not flags, and make runs in build/.
          "cflags_cc": ["-isystem", "<!(node -p \"require('path').resolve(require('node-addon-api').include_dir)\")"],
          "xcode_settings": {"OTHER_CPLUSPLUSFLAGS": ["-isystem", "<!(node -p \"require('path').resolve(require('node-addon-api').include_dir)\")"]}
        }],
        ["OS=='win'", {
          "sources": ["<!@(node scripts/install/sources.js --unity common_win32 hosts_win32 platform_loader_win32 platform_win32 radius_win32 crypto_win32)"],
          "libraries": ["advapi32.lib", "bcrypt.lib", "crypt32.lib", "ole32.lib", "oleaut32.lib", "ws2_32.lib"]
        }, {
          "sources": ["<!@(node scripts/install/sources.js --unity common_posix hosts_posix platform_loader_posix platform_posix radius_posix crypto_posix radius_dtls radius_dtls_posix)"],
          "cflags_cc": ["<!@(pkg-config --cflags gnutls)"],
          "libraries": ["-ldl", "-lpthread", "-lnettle", "<!@(pkg-config --libs gnutls)"]
        }],
        ["OS=='linux'", {
          "sources": ["<!@(node scripts/install/sources.js --unity eapol_linux)"]
        }, {
          "sources": ["<!@(node scripts/install/sources.js --unity eapol_elsewhere)"]
        }],
        # RADIUS/DTLS on Windows: the methods' GnuTLS (EAPHOST_GNUTLS_PREFIX), delay-loaded and
        # loaded from beside the addon (radius_gnutls_win32.cc); eap_methods copies the four DLLs
        # into the same directory. Without GnuTLS, RADIUS/DTLS is refused with ENOTSUP.
        ["OS=='win' and tls_engine==1", {
          "sources": ["<!@(node scripts/install/sources.js --unity radius_dtls radius_dtls_win32)"],
          "include_dirs": ["<(gnutls_prefix)/include"],
          "actions": [{
            "action_name": "gnutls_import_library",
            "inputs": ["<(gnutls_prefix)/lib/libgnutls-30.def"],
            "outputs": ["<(INTERMEDIATE_DIR)/libgnutls-30.lib"],
            "action": ["lib.exe", "/nologo", "/def:<(gnutls_prefix)/lib/libgnutls-30.def", "/name:libgnutls-30.dll",
              "/machine:<(lib_machine)", "/out:<(INTERMEDIATE_DIR)/libgnutls-30.lib"]
          }],
          "libraries": ["<(INTERMEDIATE_DIR)/libgnutls-30.lib"],
          "msvs_settings": {"VCLinkerTool": {"DelayLoadDLLs": ["libgnutls-30.dll"], "AdditionalOptions": ["/WX:4199"]}}
        }],
        ["OS=='win' and tls_engine!=1", {
          "sources": ["<!@(node scripts/install/sources.js --unity radius_dtls_absent)"]
        }],
        ["OS=='win' and sdk_layout_check==1", {
          "sources": ["<!@(node scripts/install/sources.js --unity sdk_layout_check_msvc)"]
        }],
        ["eaphost_contract_probe==1", {
          "sources": ["<!@(node scripts/install/sources.js --unity addon_contract_probe)"],
          "defines": ["EAPHOST_BUILD_CONTRACT_PROBE"]
        }]
      ]
    },
    {
      "target_name": "eap_methods",
      "includes": ["scripts/install/windows-cxx.gypi"],
      "type": "loadable_module",
      "product_prefix": "",
      # A plain shared library loaded by the method hosts (and EAPHost), not a node addon.
      "win_delay_load_hook": "false",
      # After node-gyp's addon.gypi, which names every loadable_module *.node.
      "target_conditions": [["OS=='win'", {"product_extension": "dll"}], ["OS=='mac'", {"product_extension": "dylib"}],
                            ["OS!='win' and OS!='mac'", {"product_extension": "so"}]],
      "sources": ["<!@(node scripts/install/sources.js --unity common methods method_module)"],
      # The native catalog's method_table.h, from native/methods/methods.json (the method table).
      "actions": [{
        "action_name": "method_table",
        "inputs": ["native/methods/methods.json", "scripts/shipped-methods.js"],
        "outputs": ["<(SHARED_INTERMEDIATE_DIR)/method_table/method_table.h"],
        "action": ["node", "scripts/shipped-methods.js", "header", "<(SHARED_INTERMEDIATE_DIR)/method_table"]
      }],
      "include_dirs": ["<(SHARED_INTERMEDIATE_DIR)/method_table"],
      "conditions": [
        ["OS=='win'", {
          "sources": ["<!@(node scripts/install/sources.js --unity common_win32 crypto_win32 method_module_win32)", "native/method_module/eap_methods.def"],
          "libraries": ["bcrypt.lib", "ole32.lib", "oleaut32.lib", "ws2_32.lib", "crypt32.lib", "ncrypt.lib", "advapi32.lib"]
        }, {
          "sources": ["<!@(node scripts/install/sources.js --unity common_posix crypto_posix method_module_posix)"],
          "libraries": ["-lnettle", "-ldl"]
        }],
        ["tls_engine==1", {
          "sources": ["<!@(node scripts/install/sources.js --unity methods_tls)"],
          "defines": ["EAPHOST_TLS_METHODS"]
        }],
        ["tls_engine==1 and OS!='win'", {
          "sources": ["<!@(node scripts/install/sources.js --unity methods_tls_posix)"],
          "cflags_cc": ["<!@(pkg-config --cflags gnutls)"],
          "libraries": ["<!@(pkg-config --libs gnutls)"]
        }],
        # GnuTLS on Windows: the prefix scripts/ci/gnutls-mingw.sh prints, in EAPHOST_GNUTLS_PREFIX;
        # libgnutls-30.dll is delay-loaded from beside eap_methods.dll through an import library
        # link.exe honours, made from GnuTLS's .def by lib /def:, and LNK4199 (/DELAYLOAD ignored)
        # fails the link (scripts/cmake/gnutls_delay_load.cmake does the same).
        ["tls_engine==1 and OS=='win'", {
          "sources": ["<!@(node scripts/install/sources.js --unity methods_tls_win32)"],
          "include_dirs": ["<(gnutls_prefix)/include"],
          "actions": [{
            "action_name": "gnutls_import_library",
            "inputs": ["<(gnutls_prefix)/lib/libgnutls-30.def"],
            "outputs": ["<(INTERMEDIATE_DIR)/libgnutls-30.lib"],
            "action": ["lib.exe", "/nologo", "/def:<(gnutls_prefix)/lib/libgnutls-30.def", "/name:libgnutls-30.dll",
              "/machine:<(lib_machine)", "/out:<(INTERMEDIATE_DIR)/libgnutls-30.lib"]
          }],
          "libraries": ["<(INTERMEDIATE_DIR)/libgnutls-30.lib", "delayimp.lib"],
          "msvs_settings": {"VCLinkerTool": {"DelayLoadDLLs": ["libgnutls-30.dll"], "AdditionalOptions": ["/WX:4199"]}},
          "copies": [{"destination": "<(PRODUCT_DIR)", "files": ["<(gnutls_prefix)/bin/libgnutls-30.dll",
            "<(gnutls_prefix)/bin/libnettle-8.dll", "<(gnutls_prefix)/bin/libhogweed-6.dll", "<(gnutls_prefix)/bin/libgmp-10.dll"]}]
        }],
        ["OS=='linux'", {
          "ldflags": ["-Wl,--no-undefined", "-Wl,--version-script=<(module_root_dir)/native/method_module/eap_methods.map"]
        }]
      ]
    },
    {
      "target_name": "method_manifest",
      "type": "none",
      "dependencies": ["eaphost", "eap_methods"],
      "conditions": [["OS!='win' or eaphost_standin==1", {"dependencies": ["eaphost_portable"]}]],
      "actions": [{
        "action_name": "write_manifest",
        "inputs": ["scripts/install/write-manifest.js", "scripts/shipped-methods.js", "native/methods/methods.json"],
        "outputs": ["<(PRODUCT_DIR)/eaphost-methods.json"],
        "action": ["node", "scripts/install/write-manifest.js", "<(PRODUCT_DIR)", "", "<(tls_engine)"]
      }]
    }
  ],
  "conditions": [
    # The portable EAPHost: the product's backend off Windows; on Windows the stand-in
    # eappprxy.dll, built for this repository's own lanes only (eaphost_standin).
    ["OS!='win' or eaphost_standin==1", {
      "targets": [
        {
          "target_name": "eaphost_portable",
          "includes": ["scripts/install/windows-cxx.gypi"],
          "type": "loadable_module",
          "product_prefix": "",
          "win_delay_load_hook": "false",
          # After node-gyp's addon.gypi, which names every loadable_module *.node.
          "target_conditions": [["OS=='win'", {"product_extension": "dll"}], ["OS=='mac'", {"product_extension": "dylib"}],
                                ["OS!='win' and OS!='mac'", {"product_extension": "so"}]],
          "sources": ["<!@(node scripts/install/sources.js --unity common hosts method_registry portable_eaphost)"],
          "conditions": [
            ["OS=='win'", {
              "product_name": "eappprxy",
              "sources": ["<!@(node scripts/install/sources.js --unity common_win32 hosts_win32 method_registry_win32)", "native/portable_eaphost/eappprxy_standin.def"],
              "libraries": ["advapi32.lib", "ole32.lib", "oleaut32.lib"]
            }, {
              "sources": ["<!@(node scripts/install/sources.js --unity common_posix hosts_posix method_registry_posix)"],
              "libraries": ["-ldl", "-lpthread"]
            }],
            ["OS=='linux'", {
              "ldflags": ["-Wl,--no-undefined", "-Wl,--version-script=<(module_root_dir)/native/portable_eaphost/eaphost_portable.map"]
            }]
          ]
        }
      ]
    }]
  ]
}
