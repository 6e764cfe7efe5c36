// Umbrella header for the Windows EAP ABI as this project declares it.
#pragma once

#include "eap_host_peer_abi.h"
#include "eap_method_abi.h"
#include "eap_platform.h"
#include "eap_types.h"
