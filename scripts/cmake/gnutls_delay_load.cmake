# GnuTLS on Windows: eap_methods.dll imports libgnutls-30.dll delay-loaded, and the four GnuTLS
# DLLs (EAPHOST_GNUTLS_DLLS, from EAPHOST_GNUTLS_PREFIX/bin, cross-built by
# scripts/ci/gnutls-mingw.sh) are copied beside it. Windows never looks in a DLL's own directory
# for that DLL's imports, and every host loads eap_methods.dll by full path from elsewhere; the
# module's delay-load hook (native/methods/tls/gnutls/tls_gnutls_library_win32.cc) loads GnuTLS by
# full path from the module's own directory instead (docs/WINDOWS-CONTRACT.md).
#
# The delay-import library comes from the export list GnuTLS's own link wrote (lib/libgnutls-30.def):
# link.exe delay-loads only through the short import members `lib /def:` makes (a GNU import
# library such as libgnutls.dll.a leaves /DELAYLOAD ignored, LNK4199, and the import static, which
# the EapHost service cannot resolve), and /WX:4199 turns that warning into a failed link; mingw's
# ld takes dlltool's from the same .def.
function(eaphost_gnutls_beside target)
  set(prefix ${EAPHOST_GNUTLS_PREFIX})
  set(def ${prefix}/lib/libgnutls-30.def)
  if(NOT EXISTS ${def})
    message(FATAL_ERROR "${def} is missing: EAPHOST_GNUTLS_PREFIX is not a scripts/ci/gnutls-mingw.sh prefix")
  endif()
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/gnutls_import)
  file(MAKE_DIRECTORY ${dir})
  if(MSVC)
    if(EAPHOST_TARGET_ARCH STREQUAL "ia32")
      set(machine X86)
    else()
      set(machine X64)
    endif()
    set(import_lib ${dir}/libgnutls-30.lib)
    set(make_import ${CMAKE_AR} /nologo /def:${def} /name:libgnutls-30.dll /machine:${machine} /out:${import_lib})
  else()
    find_program(EAPHOST_DLLTOOL NAMES ${CMAKE_DLLTOOL} REQUIRED)
    set(import_lib ${dir}/libgnutls_delay.a)
    # Run inside gnutls_import/, so the symbols dlltool derives from the output name carry no path.
    set(make_import ${EAPHOST_DLLTOOL} -d ${def} -y libgnutls_delay.a -D libgnutls-30.dll)
  endif()
  add_custom_command(OUTPUT ${import_lib} COMMAND ${make_import} WORKING_DIRECTORY ${dir} DEPENDS ${def}
    COMMENT "Generating the libgnutls-30.dll delay-import library" VERBATIM)
  add_custom_target(${target}_gnutls_import DEPENDS ${import_lib})
  add_dependencies(${target} ${target}_gnutls_import)
  target_link_libraries(${target} PRIVATE ${import_lib})
  if(MSVC)
    target_link_libraries(${target} PRIVATE delayimp)
    target_link_options(${target} PRIVATE /DELAYLOAD:libgnutls-30.dll /WX:4199)
  else()
    # GNU ld leaves the delay-import data directory empty; fill it from the linker map (one per
    # target, shared with mingw_node_import.cmake's for the addon, which delay-loads node.exe too).
    set(link_map ${CMAKE_CURRENT_BINARY_DIR}/${target}.delay-imports.map)
    target_link_options(${target} PRIVATE -Wl,-Map=${link_map})
    add_custom_command(TARGET ${target} POST_BUILD
      COMMAND node ${CMAKE_CURRENT_SOURCE_DIR}/scripts/cmake/pe_delay_import_directory.js
        $<TARGET_FILE:${target}> ${link_map} libgnutls-30.dll
      VERBATIM)
  endif()
  foreach(dll ${EAPHOST_GNUTLS_DLLS})
    if(NOT EXISTS ${prefix}/bin/${dll})
      message(FATAL_ERROR "${prefix}/bin/${dll} is missing: EAPHOST_GNUTLS_PREFIX is not a scripts/ci/gnutls-mingw.sh prefix")
    endif()
    add_custom_command(TARGET ${target} POST_BUILD
      COMMAND ${CMAKE_COMMAND} -E copy_if_different ${prefix}/bin/${dll} $<TARGET_FILE_DIR:${target}>/${dll}
      VERBATIM)
  endforeach()
endfunction()
