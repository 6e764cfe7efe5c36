# node.exe exports the N-API functions itself; a Windows addon links against an import
# library naming node.exe. cmake-js only provides node.lib when building on Windows, so a
# mingw cross-build makes its own from node-api-headers' .def file (the same list of N-API
# symbols node.lib is generated from). It is a delay-import library, and the hook in
# mingw_delay_load_hook.cc binds it to the host executable, as MSVC builds do with /DELAYLOAD
# and cmake-js's hook: that is what lets the addon load in Electron.
function(eaphost_link_node_import target)
  find_program(EAPHOST_DLLTOOL NAMES ${CMAKE_DLLTOOL} x86_64-w64-mingw32-dlltool REQUIRED)
  # Resolve the package as node does, so a hoisted or nested node_modules both work.
  execute_process(
    COMMAND node -p "require('path').dirname(require.resolve('node-api-headers/package.json'))"
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
    OUTPUT_VARIABLE headers_dir OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE resolved)
  set(def ${headers_dir}/def/node_api.def)
  if(NOT resolved EQUAL 0 OR NOT EXISTS ${def})
    message(FATAL_ERROR "node-api-headers/def/node_api.def not found: run npm ci first")
  endif()

  set(import_lib ${CMAKE_CURRENT_BINARY_DIR}/node_import/libnode_delay.a)
  add_custom_command(
    OUTPUT ${import_lib}
    # Run inside node_import/ so the symbols dlltool derives from the output name carry no
    # path of the build machine.
    COMMAND ${EAPHOST_DLLTOOL} -d ${def} -y libnode_delay.a -D node.exe
    WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/node_import
    DEPENDS ${def}
    COMMENT "Generating the node.exe import library from node_api.def"
    VERBATIM)
  file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/node_import)
  add_custom_target(${target}_node_import DEPENDS ${import_lib})
  add_dependencies(${target} ${target}_node_import)
  # node_api.h declares Node-API dllimport under BUILDING_NODE_EXTENSION, so calls name only the
  # import slots; i686 GNU ld then drops the delay-load thunks nothing else names, and each slot
  # keeps 0 where its thunk's address belonged (the first Node-API call jumps to the relocation
  # delta: the 32-bit addon crashed on load). Plain declarations make every call name its thunk,
  # on both architectures; pe_delay_import_directory.js checks every slot after the link.
  target_compile_definitions(${target} PRIVATE NAPI_EXTERN=)
  target_sources(${target} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/scripts/cmake/mingw_delay_load_hook.cc)
  target_link_libraries(${target} PRIVATE ${import_lib})
  # GNU ld leaves the delay-import data directory empty; fill it from the linker map (one per
  # target, shared with gnutls_delay_load.cmake's where the addon delay-loads GnuTLS too).
  set(link_map ${CMAKE_CURRENT_BINARY_DIR}/${target}.delay-imports.map)
  target_link_options(${target} PRIVATE -Wl,-Map=${link_map})
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND node ${CMAKE_CURRENT_SOURCE_DIR}/scripts/cmake/pe_delay_import_directory.js
      $<TARGET_FILE:${target}> ${link_map} node.exe
    VERBATIM)
endfunction()
