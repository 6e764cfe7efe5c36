"""Reads NetworkManager keyfiles with NetworkManager's own keyfile reader (libnm's nm_keyfile_read,
the code the daemon's keyfile plugin runs) and prints what NetworkManager holds, as JSON.

stdin: a JSON list of keyfile texts. stdout: a JSON list, one object per keyfile: either
{"error": "..."} (the reader or nm_connection_verify refused it) or the settings a profile writer
sets, byte strings as hex. Only the Python standard library (ctypes) and libnm.so.0 (Debian's
libnm0, which nmcli needs) are used, so the test reads what NetworkManager reads, not our model of it.
"""
import ctypes
import json
import sys

glib = ctypes.CDLL('libglib-2.0.so.0')
nm = ctypes.CDLL('libnm.so.0')

P = ctypes.c_void_p
S = ctypes.c_char_p


class GError(ctypes.Structure):
    _fields_ = [('domain', ctypes.c_uint32), ('code', ctypes.c_int), ('message', S)]


def fn(lib, name, restype, *argtypes):
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


g_key_file_new = fn(glib, 'g_key_file_new', P)
g_key_file_free = fn(glib, 'g_key_file_free', None, P)
g_key_file_load_from_data = fn(glib, 'g_key_file_load_from_data', ctypes.c_int, P, S, ctypes.c_size_t, ctypes.c_int,
                               ctypes.POINTER(ctypes.POINTER(GError)))
g_bytes_get_data = fn(glib, 'g_bytes_get_data', P, P, ctypes.POINTER(ctypes.c_size_t))
g_object_unref = fn(ctypes.CDLL('libgobject-2.0.so.0'), 'g_object_unref', None, P)

nm_keyfile_read = fn(nm, 'nm_keyfile_read', P, P, S, ctypes.c_int, P, P, ctypes.POINTER(ctypes.POINTER(GError)))
nm_connection_verify = fn(nm, 'nm_connection_verify', ctypes.c_int, P, ctypes.POINTER(ctypes.POINTER(GError)))
nm_connection_normalize = fn(nm, 'nm_connection_normalize', ctypes.c_int, P, P, P, ctypes.POINTER(ctypes.POINTER(GError)))

STRING_GETTERS = {
    'id': 'nm_connection_get_id',
    'uuid': 'nm_connection_get_uuid',
    'type': 'nm_connection_get_connection_type',
}
wireless = fn(nm, 'nm_connection_get_setting_wireless', P, P)
security = fn(nm, 'nm_connection_get_setting_wireless_security', P, P)
dot1x = fn(nm, 'nm_connection_get_setting_802_1x', P, P)


def text(value):
    return None if value is None else value.decode('utf-8', 'surrogateescape')


def blob(gbytes):
    if not gbytes:
        return None
    size = ctypes.c_size_t()
    data = g_bytes_get_data(gbytes, ctypes.byref(size))
    return ctypes.string_at(data, size.value).hex() if size.value else ''


def read(keyfile_text):
    error = ctypes.POINTER(GError)()
    key_file = g_key_file_new()
    try:
        data = keyfile_text.encode('utf-8')
        if not g_key_file_load_from_data(key_file, data, len(data), 0, ctypes.byref(error)):
            return {'error': 'GKeyFile: ' + text(error.contents.message)}
        connection = nm_keyfile_read(key_file, b'/', 0, None, None, ctypes.byref(error))
        if not connection:
            return {'error': 'nm_keyfile_read: ' + text(error.contents.message)}
        try:
            if not nm_connection_normalize(connection, None, None, ctypes.byref(error)):
                return {'error': 'nm_connection_normalize: ' + text(error.contents.message)}
            if not nm_connection_verify(connection, ctypes.byref(error)):
                return {'error': 'nm_connection_verify: ' + text(error.contents.message)}
            out = {key: text(fn(nm, name, S, P)(connection)) for key, name in STRING_GETTERS.items()}
            wifi = wireless(connection)
            if wifi:
                out['ssid'] = blob(fn(nm, 'nm_setting_wireless_get_ssid', P, P)(wifi))
                out['mode'] = text(fn(nm, 'nm_setting_wireless_get_mode', S, P)(wifi))
            sec = security(connection)
            if sec:
                out['key-mgmt'] = text(fn(nm, 'nm_setting_wireless_security_get_key_mgmt', S, P)(sec))
                out['pmf'] = fn(nm, 'nm_setting_wireless_security_get_pmf', ctypes.c_int, P)(sec)
            x = dot1x(connection)
            if x:
                count = fn(nm, 'nm_setting_802_1x_get_num_eap_methods', ctypes.c_uint32, P)(x)
                out['eap'] = [text(fn(nm, 'nm_setting_802_1x_get_eap_method', S, P, ctypes.c_uint32)(x, i)) for i in range(count)]
                for key, name in [('identity', 'identity'), ('anonymous-identity', 'anonymous_identity'), ('password', 'password'),
                                  ('domain-match', 'domain_match'), ('phase2-auth', 'phase2_auth'),
                                  ('phase2-autheap', 'phase2_autheap'), ('phase1-peapver', 'phase1_peapver'),
                                  ('private-key-password', 'private_key_password')]:
                    out[key] = text(fn(nm, 'nm_setting_802_1x_get_' + name, S, P)(x))
                out['password-flags'] = fn(nm, 'nm_setting_802_1x_get_password_flags', ctypes.c_uint32, P)(x)
                out['phase1-auth-flags'] = fn(nm, 'nm_setting_802_1x_get_phase1_auth_flags', ctypes.c_uint32, P)(x)
                scheme = fn(nm, 'nm_setting_802_1x_get_ca_cert_scheme', ctypes.c_int, P)
                # NM_SETTING_802_1X_CK_SCHEME_BLOB is 1: the certificate's bytes are in the file.
                out['ca-cert'] = blob(fn(nm, 'nm_setting_802_1x_get_ca_cert_blob', P, P)(x)) if scheme(x) == 1 else None
                client_scheme = fn(nm, 'nm_setting_802_1x_get_client_cert_scheme', ctypes.c_int, P)(x)
                out['client-cert'] = blob(fn(nm, 'nm_setting_802_1x_get_client_cert_blob', P, P)(x)) if client_scheme == 1 else None
                key_scheme = fn(nm, 'nm_setting_802_1x_get_private_key_scheme', ctypes.c_int, P)(x)
                out['private-key'] = blob(fn(nm, 'nm_setting_802_1x_get_private_key_blob', P, P)(x)) if key_scheme == 1 else None
            return out
        finally:
            g_object_unref(connection)
    finally:
        g_key_file_free(key_file)


json.dump([read(item) for item in json.load(sys.stdin)], sys.stdout)
