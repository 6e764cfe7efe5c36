# node-gyp build (used by prebuildify and as the install fallback). Sources come from
# native/sources.json through scripts/sources.js, the same list CMakeLists.txt reads.
{
  "target_defaults": {
    "cflags_cc": ["-std=c++17", "-fexceptions", "-Wall", "-Wextra", "-Werror", "-Wno-unused-parameter", "-fvisibility=hidden"],
    "cflags_cc!": ["-fno-exceptions"],
    "xcode_settings": {"GCC_ENABLE_CPP_EXCEPTIONS": "YES", "CLANG_CXX_LANGUAGE_STANDARD": "c++17"},
    "msvs_settings": {"VCCLCompilerTool": {"ExceptionHandling": 1, "AdditionalOptions": ["/std:c++17", "/W4", "/WX"]}}
  },
  "targets": [
    {
      "target_name": "eaphost",
      "sources": ["<!@(node scripts/sources.js common hosts addon)"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "conditions": [
        ["OS=='win'", {
          "sources": ["<!@(node scripts/sources.js hosts_win32 addon_win32 sdk_layout_check_msvc)"],
          "libraries": ["ole32.lib"]
        }, {
          "sources": ["<!@(node scripts/sources.js hosts_posix addon_posix)"],
          "libraries": ["-ldl", "-lpthread"]
        }]
      ]
    },
    {
      "target_name": "eap_methods",
      "type": "loadable_module",
      "product_prefix": "",
      "sources": ["<!@(node scripts/sources.js common eap_methods)"],
      "conditions": [
        ["OS=='win'", {
          "sources": ["<!@(node scripts/sources.js crypto_win32 eap_methods_win32)", "native/methods/eap_methods.def"],
          "libraries": ["bcrypt.lib"]
        }, {
          "sources": ["<!@(node scripts/sources.js crypto_posix eap_methods_posix)"],
          "defines": ["EAPHOST_TLS_METHODS"],
          "cflags_cc": ["<!@(pkg-config --cflags gnutls)"],
          "libraries": ["-lnettle", "<!@(pkg-config --libs gnutls)"],
          "ldflags": ["-Wl,--version-script=<(module_root_dir)/native/methods/eap_methods.map"]
        }]
      ]
    },
    {
      "target_name": "eaphost_portable",
      "type": "loadable_module",
      "product_prefix": "",
      "sources": ["<!@(node scripts/sources.js common hosts portable_eaphost)"],
      "conditions": [
        ["OS=='win'", {
          "product_name": "eappprxy",
          "sources": ["<!@(node scripts/sources.js hosts_win32)", "native/hosts/portable_eaphost/eappprxy_standin.def"],
          "libraries": ["advapi32.lib", "ole32.lib"]
        }, {
          "sources": ["<!@(node scripts/sources.js hosts_posix)"],
          "libraries": ["-ldl", "-lpthread"],
          "ldflags": ["-Wl,--version-script=<(module_root_dir)/native/hosts/portable_eaphost/eaphost_portable.map"]
        }]
      ]
    },
    {
      "target_name": "method_manifest",
      "type": "none",
      "dependencies": ["eaphost", "eap_methods", "eaphost_portable"],
      "actions": [{
        "action_name": "write_manifest",
        "inputs": ["scripts/write-manifest.js"],
        "outputs": ["<(PRODUCT_DIR)/eaphost-methods.json"],
        "action": ["node", "scripts/write-manifest.js", "<(PRODUCT_DIR)"]
      }]
    }
  ]
}
