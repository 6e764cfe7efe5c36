# C++ exceptions and RTTI for a target built by node-gyp on Windows. Included by each target
# of binding.gyp (not its target_defaults: gyp merges node's common.gypi over a file's
# target_defaults, and node's Release configuration sets RuntimeTypeInfo 'false' over any
# target-level value, so both settings go into the target's own configurations).
# node's common.gypi builds with /GR- and _HAS_EXCEPTIONS=0 and no /EH; the sources throw and
# catch C++ exceptions (node-addon-api's NAPI_CPP_EXCEPTIONS, the method modules' guards).
# These are the settings of node-addon-api's except.gypi, plus /GR.
{
  'conditions': [
    ["OS=='win'", {
      'defines!': ['_HAS_EXCEPTIONS=0'],
      'defines': ['_HAS_EXCEPTIONS=1'],
      'configurations': {
        'Release': {'msvs_settings': {'VCCLCompilerTool': {'ExceptionHandling': 1, 'RuntimeTypeInfo': 'true'}}},
        'Debug': {'msvs_settings': {'VCCLCompilerTool': {'ExceptionHandling': 1, 'RuntimeTypeInfo': 'true'}}},
      },
    }],
  ],
}
