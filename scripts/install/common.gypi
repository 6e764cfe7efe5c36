# The build settings node-gyp takes from a node source tree's common.gypi, reduced to what a
# Node-API addon needs. scripts/install/install.js pairs it with the headers of the node-api-headers
# package in a --nodedir of its own, so a source build on Linux or macOS compiles against
# Node-API only and downloads no node headers.
{
  'variables': {
    'clang%': 0,
    'standalone_static_library%': 0,
  },
  'target_defaults': {
    'default_configuration': 'Release',
    'configurations': {
      'Release': {
        'cflags': ['-O2'],
        'xcode_settings': {'GCC_OPTIMIZATION_LEVEL': '2'},
      },
      'Debug': {
        'defines': ['DEBUG', '_DEBUG'],
        'cflags': ['-g', '-O0'],
        'xcode_settings': {'GCC_OPTIMIZATION_LEVEL': '0', 'GCC_GENERATE_DEBUGGING_SYMBOLS': 'YES'},
      },
    },
    'cflags': ['-pthread'],
    'ldflags': ['-pthread'],
    'xcode_settings': {'MACOSX_DEPLOYMENT_TARGET': '11.0'},
  },
}
