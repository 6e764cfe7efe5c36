// Bindings for EAPHost's configuration API (eappcfg.dll on Windows, the portable EAPHost's
// exports of the same names elsewhere), through the same function table as the runtime: XML to
// blobs and back, credential input fields, method properties. The interactive-UI calls are in
// eap_config_ui_binding.cc, the shared conversions in eap_config_convert.cc.
//
// XML crosses as text: the addon makes the DOM (MSXML 6 on Windows, the portable node
// elsewhere, common/xml_document.h) and reads results back, so one code path serves both.
// Configuration calls run on the host thread; they need no EapHostPeerInitialize. Results are
// freed with EapHostPeerFreeMemory, errors with EapHostPeerFreeErrorMemory, and buffers that
// held secrets are wiped.
#include <algorithm>

#include "../common/utf16.h"
#include "../common/xml_document.h"
#include "../common/xml_tree.h"
#include "eap_config_convert.h"
#include "js_convert.h"

namespace eaphost {

namespace {

using namespace config_binding;

struct WipedText {
  std::string text;
  ~WipedText() { std::fill(text.begin(), text.end(), '\0'); }
};

eap::IXMLDOMNode* ElementOf(const std::string& xml, const char* call, EapErrorInfo* error) {
  if (xml.size() > xml::XmlLimits().maxBytes) {
    *error = XmlError(call, "the XML is " + std::to_string(xml.size()) + " bytes, over the " +
                                std::to_string(xml::XmlLimits().maxBytes) + "-byte limit");
    return nullptr;
  }
  std::string problem;
  xml::NodeRef document(xml::MakeDocument(xml, &problem));
  if (document.get() == nullptr) {
    *error = XmlError(call, problem);
    return nullptr;
  }
  eap::IXMLDOMNode* element = xml::DocumentElement(static_cast<eap::IXMLDOMDocument2*>(document.get()), &problem);
  if (element == nullptr) *error = XmlError(call, problem);
  return element;
}

// ---- bindings -------------------------------------------------------------------------------

struct XmlToBlobOut {
  eap::EAP_METHOD_TYPE type{};
  Bytes blob;
  ~XmlToBlobOut() { std::fill(blob.begin(), blob.end(), 0); }
};

Napi::Value XmlToBlobResult(Napi::Env env, XmlToBlobOut& out, const char* key) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("methodType", ToMethodType(env, out.type));
  result.Set(key, ToBuffer(env, out.blob));
  return result;
}

Napi::Value ConfigXml2Blob(const Napi::CallbackInfo& info) {
  auto instance = UnwrapResource<EapHostInstance>(info, 0, "an EAPHost handle");
  std::string xml = StringArg(info, 1, "xml");
  eap::DWORD flags = DwordArg(info, 2, "flags");
  return RunOnHost<XmlToBlobOut>(
      info.Env(),
      [instance, xml, flags](XmlToBlobOut* out, EapErrorInfo* error) {
        constexpr const char* kCall = "EapHostPeerConfigXml2Blob";
        if (!instance->RequireOpen(kCall, error)) return false;
        xml::NodeRef node(ElementOf(xml, kCall, error));
        if (node.get() == nullptr) return false;
        eap::DWORD size = 0;
        eap::BYTE* blob = nullptr;
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD rc = instance->api().EapHostPeerConfigXml2Blob(flags, node.get(), &size, &blob, &out->type, &eapError);
        out->blob = TakeConfigBuffer(*instance, blob, size);
        return ConfigCheck(*instance, rc, eapError, kCall, error);
      },
      [](Napi::Env env, XmlToBlobOut& out) { return XmlToBlobResult(env, out, "config"); });
}

Napi::Value CredentialsXml2Blob(const Napi::CallbackInfo& info) {
  auto instance = UnwrapResource<EapHostInstance>(info, 0, "an EAPHost handle");
  auto xml = std::make_shared<WipedText>();
  xml->text = StringArg(info, 1, "xml");
  Bytes config = BytesArg(info, 2, "config");
  eap::DWORD flags = DwordArg(info, 3, "flags");
  return RunOnHost<XmlToBlobOut>(
      info.Env(),
      [instance, xml, config, flags](XmlToBlobOut* out, EapErrorInfo* error) mutable {
        constexpr const char* kCall = "EapHostPeerCredentialsXml2Blob";
        if (!instance->RequireOpen(kCall, error)) return false;
        xml::NodeRef node(ElementOf(xml->text, kCall, error));
        std::fill(xml->text.begin(), xml->text.end(), '\0');
        if (node.get() == nullptr) return false;
        eap::DWORD size = 0;
        eap::BYTE* blob = nullptr;
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD rc = instance->api().EapHostPeerCredentialsXml2Blob(
            flags, node.get(), static_cast<eap::DWORD>(config.size()), DataOf(config), &size, &blob, &out->type, &eapError);
        Wipe(&config);
        out->blob = TakeConfigBuffer(*instance, blob, size);
        return ConfigCheck(*instance, rc, eapError, kCall, error);
      },
      [](Napi::Env env, XmlToBlobOut& out) { return XmlToBlobResult(env, out, "credentials"); });
}

Napi::Value ConfigBlob2Xml(const Napi::CallbackInfo& info) {
  auto instance = UnwrapResource<EapHostInstance>(info, 0, "an EAPHost handle");
  eap::EAP_METHOD_TYPE type = MethodTypeArg(info, 1);
  Bytes config = BytesArg(info, 2, "config");
  eap::DWORD flags = DwordArg(info, 3, "flags");
  return RunOnHost<std::string>(
      info.Env(),
      [instance, type, config, flags](std::string* out, EapErrorInfo* error) mutable {
        constexpr const char* kCall = "EapHostPeerConfigBlob2Xml";
        if (!instance->RequireOpen(kCall, error)) return false;
        eap::IXMLDOMDocument2* document = nullptr;
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD rc = instance->api().EapHostPeerConfigBlob2Xml(flags, type, static_cast<eap::DWORD>(config.size()),
                                                                  DataOf(config), &document, &eapError);
        Wipe(&config);
        xml::NodeRef owned(document);
        if (!ConfigCheck(*instance, rc, eapError, kCall, error)) return false;
        std::string problem;
        if (document == nullptr || !xml::ReadNodeXml(document, xml::XmlLimits().maxBytes, out, &problem)) {
          *error = XmlError(kCall, document == nullptr ? "EAPHost returned no document" : problem);
          return false;
        }
        return true;
      },
      [](Napi::Env env, std::string& xml) { return Napi::String::New(env, xml); });
}

Napi::Value QueryCredentialInputFields(const Napi::CallbackInfo& info) {
  auto instance = UnwrapResource<EapHostInstance>(info, 0, "an EAPHost handle");
  eap::EAP_METHOD_TYPE type = MethodTypeArg(info, 1);
  Bytes config = BytesArg(info, 2, "config");
  eap::DWORD flags = DwordArg(info, 3, "flags");
  return RunOnHost<std::vector<Field>>(
      info.Env(),
      [instance, type, config, flags](std::vector<Field>* out, EapErrorInfo* error) mutable {
        constexpr const char* kCall = "EapHostPeerQueryCredentialInputFields";
        if (!instance->RequireOpen(kCall, error)) return false;
        eap::EAP_CONFIG_INPUT_FIELD_ARRAY array{};
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD rc = instance->api().EapHostPeerQueryCredentialInputFields(
            nullptr, type, flags, static_cast<eap::DWORD>(config.size()), DataOf(config), &array, &eapError);
        Wipe(&config);
        *out = CopyFieldsOut(array);
        if (array.pFields != nullptr) instance->api().EapHostPeerFreeMemory(reinterpret_cast<eap::BYTE*>(array.pFields));
        return ConfigCheck(*instance, rc, eapError, kCall, error);
      },
      [](Napi::Env env, std::vector<Field>& fields) { return FieldsToJs(env, fields); });
}

Napi::Value QueryUserBlobFromCredentialInputFields(const Napi::CallbackInfo& info) {
  auto instance = UnwrapResource<EapHostInstance>(info, 0, "an EAPHost handle");
  eap::EAP_METHOD_TYPE type = MethodTypeArg(info, 1);
  Bytes config = BytesArg(info, 2, "config");
  auto fields = std::make_shared<std::vector<Field>>(FieldsArg(info, 3, "fields"));
  eap::DWORD flags = DwordArg(info, 4, "flags");
  return RunOnHost<Bytes>(
      info.Env(),
      [instance, type, config, fields, flags](Bytes* out, EapErrorInfo* error) mutable {
        constexpr const char* kCall = "EapHostPeerQueryUserBlobFromCredentialInputFields";
        if (!instance->RequireOpen(kCall, error)) return false;
        eap::DWORD size = 0;
        eap::BYTE* blob = nullptr;
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD rc;
        {
          FieldArray array(*fields);
          rc = instance->api().EapHostPeerQueryUserBlobFromCredentialInputFields(
              nullptr, type, flags, static_cast<eap::DWORD>(config.size()), DataOf(config), &array.array, &size, &blob,
              &eapError);
        }
        WipeFields(fields.get());
        Wipe(&config);
        *out = TakeConfigBuffer(*instance, blob, size);
        return ConfigCheck(*instance, rc, eapError, kCall, error);
      },
      [](Napi::Env env, Bytes& blob) {
        Napi::Value result = ToBuffer(env, blob);
        Wipe(&blob);
        return result;
      });
}

struct Property {
  int32_t type = 0;
  int32_t valueType = 0;
  uint32_t number = 0;
  Bytes string;
};

Napi::Value GetMethodProperties(const Napi::CallbackInfo& info) {
  auto instance = UnwrapResource<EapHostInstance>(info, 0, "an EAPHost handle");
  eap::EAP_METHOD_TYPE type = MethodTypeArg(info, 1);
  Bytes config = BytesArg(info, 2, "config");
  Bytes userData = BytesArg(info, 3, "userData");
  eap::DWORD flags = DwordArg(info, 4, "flags");
  return RunOnHost<std::vector<Property>>(
      info.Env(),
      [instance, type, config, userData, flags](std::vector<Property>* out, EapErrorInfo* error) mutable {
        constexpr const char* kCall = "EapHostPeerGetMethodProperties";
        if (!instance->RequireOpen(kCall, error)) return false;
        eap::EAP_METHOD_PROPERTY_ARRAY array{};
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD rc = instance->api().EapHostPeerGetMethodProperties(
            0, flags, type, nullptr, static_cast<eap::DWORD>(config.size()), DataOf(config),
            static_cast<eap::DWORD>(userData.size()), DataOf(userData), &array, &eapError);
        Wipe(&config);
        Wipe(&userData);
        for (eap::DWORD i = 0; array.pMethodProperty != nullptr && i < array.dwNumberOfProperties && i < 256; ++i) {
          const eap::EAP_METHOD_PROPERTY& p = array.pMethodProperty[i];
          Property property;
          property.type = p.eapMethodPropertyType;
          property.valueType = p.eapMethodPropertyValueType;
          if (p.eapMethodPropertyValueType == eap::empvtBool) property.number = p.eapMethodPropertyValue.empvBool.value;
          if (p.eapMethodPropertyValueType == eap::empvtDword) property.number = p.eapMethodPropertyValue.empvDword.value;
          if (p.eapMethodPropertyValueType == eap::empvtString && p.eapMethodPropertyValue.empvString.value != nullptr) {
            const auto& s = p.eapMethodPropertyValue.empvString;
            property.string.assign(s.value, s.value + std::min<eap::DWORD>(s.length, 65536));
          }
          out->push_back(std::move(property));
        }
        if (array.pMethodProperty != nullptr) {
          instance->api().EapHostPeerFreeMemory(reinterpret_cast<eap::BYTE*>(array.pMethodProperty));
        }
        return ConfigCheck(*instance, rc, eapError, kCall, error);
      },
      [](Napi::Env env, std::vector<Property>& properties) {
        Napi::Array result = Napi::Array::New(env, properties.size());
        for (size_t i = 0; i < properties.size(); ++i) {
          const Property& p = properties[i];
          Napi::Object o = Napi::Object::New(env);
          o.Set("type", p.type);
          o.Set("valueType", p.valueType);
          if (p.valueType == eap::empvtBool) o.Set("value", p.number != 0);
          else if (p.valueType == eap::empvtDword) o.Set("value", p.number);
          else o.Set("value", ToBuffer(env, p.string));
          result.Set(static_cast<uint32_t>(i), o);
        }
        return result;
      });
}

}  // namespace

void RegisterEapConfigUiBinding(Napi::Env env, Napi::Object exports);  // eap_config_ui_binding.cc

void RegisterEapConfigBinding(Napi::Env env, Napi::Object exports) {
  exports.Set("eapHostConfigXml2Blob", Napi::Function::New(env, ConfigXml2Blob));
  exports.Set("eapHostConfigBlob2Xml", Napi::Function::New(env, ConfigBlob2Xml));
  exports.Set("eapHostCredentialsXml2Blob", Napi::Function::New(env, CredentialsXml2Blob));
  exports.Set("eapHostQueryCredentialInputFields", Napi::Function::New(env, QueryCredentialInputFields));
  exports.Set("eapHostQueryUserBlobFromCredentialInputFields",
              Napi::Function::New(env, QueryUserBlobFromCredentialInputFields));
  exports.Set("eapHostGetMethodProperties", Napi::Function::New(env, GetMethodProperties));
  RegisterEapConfigUiBinding(env, exports);
}

}  // namespace eaphost
