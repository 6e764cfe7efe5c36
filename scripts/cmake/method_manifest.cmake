# Writes eaphost-methods.json, the manifest the portable hosts read by default: the method
# modules built here, with paths relative to the manifest.
function(eaphost_write_manifest dir)
  set(md5 "eap_md5${CMAKE_SHARED_MODULE_SUFFIX}")
  # 32473 is IANA's Private Enterprise Number for documentation (RFC 5612): a vendor
  # shipping this module under its own name should register with its own PEN.
  file(WRITE ${dir}/eaphost-methods.json "{
  \"methods\": [
    {
      \"type\": 4, \"vendorId\": 0, \"vendorType\": 0, \"authorId\": 32473,
      \"friendlyName\": \"EAP-MD5 (eaphost)\", \"authorName\": \"eaphost\",
      \"properties\": 0,
      \"peerDllPath\": \"${md5}\",
      \"authenticatorDllPath\": \"${md5}\"
    }
  ]
}
")
endfunction()
