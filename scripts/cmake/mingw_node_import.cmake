# node.exe exports the N-API functions itself; a Windows addon links against an import
# library naming node.exe. cmake-js only provides node.lib when building on Windows, so a
# mingw cross-build makes its own from node-api-headers' .def file (the same list of N-API
# symbols node.lib is generated from).
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

  set(import_lib ${CMAKE_CURRENT_BINARY_DIR}/node_import/libnode.a)
  add_custom_command(
    OUTPUT ${import_lib}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/node_import
    COMMAND ${EAPHOST_DLLTOOL} -d ${def} -l ${import_lib} -D node.exe
    DEPENDS ${def}
    COMMENT "Generating the node.exe import library from node_api.def"
    VERBATIM)
  add_custom_target(${target}_node_import DEPENDS ${import_lib})
  add_dependencies(${target} ${target}_node_import)
  target_link_libraries(${target} PRIVATE ${import_lib})
endfunction()
