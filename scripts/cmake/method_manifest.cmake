# Writes eaphost-methods.json, the manifest the portable hosts read by default, with the same
# script node-gyp builds use (scripts/install/write-manifest.js), so the two cannot disagree; it
# lists the TLS-based methods only where this build compiled them (EAPHOST_TLS_METHODS).
function(eaphost_write_manifest dir)
  execute_process(COMMAND node ${CMAKE_CURRENT_SOURCE_DIR}/scripts/install/write-manifest.js ${dir}
    ${CMAKE_SHARED_MODULE_SUFFIX} ${EAPHOST_TLS_METHODS} RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "scripts/install/write-manifest.js failed (${status})")
  endif()
endfunction()
