// EAPHost's configuration API (eappcfg.dll on Windows, the portable EAPHost's exports of the same
// names elsewhere), one export per function (eapHostConfigXml2Blob, …), through the same function
// table as the runtime: XML to blobs and back, credential input fields, method properties. The
// interactive-UI calls are in eap_config_ui_binding.cc, the shared conversions in
// eap_config_convert.cc.
//
// XML crosses as text: the addon makes the DOM (MSXML 6 on Windows, the portable node
// elsewhere, common/xml_document.h) and reads results back, so one code path serves both.
// Configuration calls run on the host thread; they need no EapHostPeerInitialize. Results are
// freed with EapHostPeerFreeMemory, errors with EapHostPeerFreeErrorMemory, and buffers that
// held secrets are wiped.
#include <algorithm>

#include "../../common/secure_zero.h"
#include "../../common/utf16.h"
#include "../../common/xml_document.h"
#include "../../common/xml_tree.h"
#include "../generated/exports.h"
#include "eap_config_convert.h"
#include "../../platform/eaphost_memory.h"
#include "eaphost_call.h"
#include "../runtime/js_convert.h"
#include "../runtime/named_args.h"

namespace eaphost {

namespace {

using namespace config_binding;

struct WipedText {
  std::string text;
  ~WipedText() { SecureZeroContents(text); }
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
  ~XmlToBlobOut() { SecureZeroContents(blob); }
};

// The method and the blob, through the shape of the call's result (eapConfigBlob, eapCredentialsBlob).
template <typename Writer, typename SetBlob>
Napi::Value XmlToBlobResult(Napi::Env env, XmlToBlobOut& out, SetBlob setBlob) {
  Writer result(env);
  result.methodType(ToMethodType(env, out.type));
  setBlob(result, ToBuffer(env, out.blob));
  return result.Make();
}

}  // namespace

Napi::Value seam::EapHostConfigXml2Blob(const Napi::CallbackInfo&, Napi::Object object) {
  EapHostPeerConfigXml2BlobArgs args = ReadEapHostPeerConfigXml2BlobArgs(object);
  return CallOn<EapHostInstance, XmlToBlobOut>(
      object.Env(), args.host, "EapHostPeerConfigXml2Blob",
      [xml = std::move(args.xml), flags = args.flags](EapHostCall& host, XmlToBlobOut* out,
                                                      EapErrorInfo* error) mutable {
        constexpr const char* kCall = "EapHostPeerConfigXml2Blob";
        xml::NodeRef node(ElementOf(xml, kCall, error));
        if (node.get() == nullptr) return false;
        ConfigBuffer blob;
        eap::DWORD rc =
            host.api().EapHostPeerConfigXml2Blob(flags, node.get(), &blob.size, &blob.data, &out->type, &blob.eapError);
        return blob.Take(host.instance(), rc, kCall, &out->blob, error);
      },
      [](Napi::Env env, XmlToBlobOut& out) { return XmlToBlobResult<EapConfigBlobShapeWriter>(
            env, out, [](EapConfigBlobShapeWriter& result, napi_value blob) { result.config(blob); }); });
}

Napi::Value seam::EapHostCredentialsXml2Blob(const Napi::CallbackInfo&, Napi::Object object) {
  EapHostPeerCredentialsXml2BlobArgs args = ReadEapHostPeerCredentialsXml2BlobArgs(object);
  auto xml = std::make_shared<WipedText>();
  xml->text = StringValue(object.Env(), args.xml.Unread(), "xml");
  return CallOn<EapHostInstance, XmlToBlobOut>(
      object.Env(), args.host, "EapHostPeerCredentialsXml2Blob",
      [xml, config = std::move(args.config), flags = args.flags](EapHostCall& host, XmlToBlobOut* out,
                                                                 EapErrorInfo* error) mutable {
        constexpr const char* kCall = "EapHostPeerCredentialsXml2Blob";
        xml::NodeRef node(ElementOf(xml->text, kCall, error));
        SecureZeroContents(xml->text);
        if (node.get() == nullptr) return false;
        ConfigBuffer blob;
        eap::DWORD rc = host.api().EapHostPeerCredentialsXml2Blob(flags, node.get(), static_cast<eap::DWORD>(config.size()),
                                                                  DataOf(config), &blob.size, &blob.data, &out->type,
                                                                  &blob.eapError);
        Wipe(&config);
        return blob.Take(host.instance(), rc, kCall, &out->blob, error);
      },
      [](Napi::Env env, XmlToBlobOut& out) { return XmlToBlobResult<EapCredentialsBlobShapeWriter>(
            env, out, [](EapCredentialsBlobShapeWriter& result, napi_value blob) { result.credentials(blob); }); });
}

Napi::Value seam::EapHostConfigBlob2Xml(const Napi::CallbackInfo&, Napi::Object object) {
  EapHostPeerConfigBlob2XmlArgs args = ReadEapHostPeerConfigBlob2XmlArgs(object);
  return CallOn<EapHostInstance, std::string>(
      object.Env(), args.host, "EapHostPeerConfigBlob2Xml",
      [type = args.methodType, config = std::move(args.config), flags = args.flags](
          EapHostCall& host, std::string* out, EapErrorInfo* error) mutable {
        constexpr const char* kCall = "EapHostPeerConfigBlob2Xml";
        eap::IXMLDOMDocument2* document = nullptr;
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD rc = host.api().EapHostPeerConfigBlob2Xml(flags, type, static_cast<eap::DWORD>(config.size()),
                                                                  DataOf(config), &document, &eapError);
        Wipe(&config);
        xml::NodeRef owned(document);
        if (!ConfigCheck(host.instance(), rc, eapError, kCall, error)) return false;
        std::string problem;
        if (document == nullptr || !xml::ReadNodeXml(document, xml::XmlLimits().maxBytes, out, &problem)) {
          *error = XmlError(kCall, document == nullptr ? "EAPHost returned no document" : problem);
          return false;
        }
        return true;
      },
      [](Napi::Env env, std::string& xml) { return Napi::String::New(env, xml); });
}

Napi::Value seam::EapHostQueryCredentialInputFields(const Napi::CallbackInfo&, Napi::Object object) {
  EapHostPeerQueryCredentialInputFieldsArgs args = ReadEapHostPeerQueryCredentialInputFieldsArgs(object);
  return CallOn<EapHostInstance, std::vector<Field>>(
      object.Env(), args.host, "EapHostPeerQueryCredentialInputFields",
      [type = args.methodType, config = std::move(args.config), flags = args.flags](
          EapHostCall& host, std::vector<Field>* out, EapErrorInfo* error) mutable {
        constexpr const char* kCall = "EapHostPeerQueryCredentialInputFields";
        eap::EAP_CONFIG_INPUT_FIELD_ARRAY array{};
        eap::EAP_ERROR* eapError = nullptr;
        // The user's token, as for BeginSession: a method may look the user's credentials up.
        auto userToken = ImpersonationToken::ForFlags(flags);
        eap::DWORD rc = host.api().EapHostPeerQueryCredentialInputFields(
            userToken->handle(), type, flags, static_cast<eap::DWORD>(config.size()), DataOf(config), &array, &eapError);
        Wipe(&config);
        *out = CopyFieldsOut(array);
        FreeInputFields(host.api(), &array);  // its page: inner pointers first, then the array
        return ConfigCheck(host.instance(), rc, eapError, kCall, error);
      },
      [](Napi::Env env, std::vector<Field>& fields) { return FieldsToJs(env, fields); });
}

Napi::Value seam::EapHostQueryUserBlobFromCredentialInputFields(const Napi::CallbackInfo&, Napi::Object object) {
  EapHostPeerQueryUserBlobFromCredentialInputFieldsArgs args = ReadEapHostPeerQueryUserBlobFromCredentialInputFieldsArgs(object);
  auto fields = std::make_shared<std::vector<Field>>(FieldsValue(object.Env(), args.fields.Unread(), "fields"));
  return CallOn<EapHostInstance, Bytes>(
      object.Env(), args.host, "EapHostPeerQueryUserBlobFromCredentialInputFields",
      [type = args.methodType, config = std::move(args.config), fields, flags = args.flags](
          EapHostCall& host, Bytes* out, EapErrorInfo* error) mutable {
        constexpr const char* kCall = "EapHostPeerQueryUserBlobFromCredentialInputFields";
        ConfigBuffer blob;
        eap::DWORD rc;
        {
          FieldArray array(*fields);
          auto userToken = ImpersonationToken::ForFlags(flags);
          rc = host.api().EapHostPeerQueryUserBlobFromCredentialInputFields(
              userToken->handle(), type, flags, static_cast<eap::DWORD>(config.size()), DataOf(config), &array.array, &blob.size,
              &blob.data, &blob.eapError);
        }
        WipeFields(fields.get());
        Wipe(&config);
        return blob.Take(host.instance(), rc, kCall, out, error);
      },
      [](Napi::Env env, Bytes& blob) {
        Napi::Value result = ToBuffer(env, blob);
        Wipe(&blob);
        return result;
      });
}

namespace {

struct Property {
  int32_t type = 0;
  int32_t valueType = 0;
  uint32_t number = 0;
  Bytes string;
};

}  // namespace

Napi::Value seam::EapHostGetMethodProperties(const Napi::CallbackInfo&, Napi::Object object) {
  EapHostPeerGetMethodPropertiesArgs args = ReadEapHostPeerGetMethodPropertiesArgs(object);
  return CallOn<EapHostInstance, std::vector<Property>>(
      object.Env(), args.host, "EapHostPeerGetMethodProperties",
      [type = args.methodType, config = std::move(args.config), userData = std::move(args.userData),
       flags = args.flags](EapHostCall& host, std::vector<Property>* out, EapErrorInfo* error) mutable {
        constexpr const char* kCall = "EapHostPeerGetMethodProperties";
        eap::EAP_METHOD_PROPERTY_ARRAY array{};
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD rc = host.api().EapHostPeerGetMethodProperties(
            0, flags, type, nullptr, static_cast<eap::DWORD>(config.size()), DataOf(config),
            static_cast<eap::DWORD>(userData.size()), DataOf(userData), &array, &eapError);
        Wipe(&config);
        Wipe(&userData);
        for (eap::DWORD i = 0; array.pMethodProperty != nullptr && i < array.dwNumberOfProperties && i < 256; ++i) {
          const eap::EAP_METHOD_PROPERTY& p = array.pMethodProperty[i];
          Property property;
          property.type = p.eapMethodPropertyType;
          property.valueType = p.eapMethodPropertyValueType;
          if (p.eapMethodPropertyValueType == eap::empvtBool) property.number = static_cast<uint32_t>(p.eapMethodPropertyValue.empvBool.value);
          if (p.eapMethodPropertyValueType == eap::empvtDword) property.number = p.eapMethodPropertyValue.empvDword.value;
          if (p.eapMethodPropertyValueType == eap::empvtString && p.eapMethodPropertyValue.empvString.value != nullptr) {
            const auto& s = p.eapMethodPropertyValue.empvString;
            property.string.assign(s.value, s.value + std::min<eap::DWORD>(s.length, 65536));
          }
          out->push_back(std::move(property));
        }
        FreeMethodProperties(host.api(), &array);  // its page: empvString values first, then the array
        return ConfigCheck(host.instance(), rc, eapError, kCall, error);
      },
      [](Napi::Env env, std::vector<Property>& properties) {
        Napi::Array result = Napi::Array::New(env, properties.size());
        for (size_t i = 0; i < properties.size(); ++i) {
          const Property& p = properties[i];
          EapMethodPropertyShapeWriter property(env);
          property.type(p.type);
          property.valueType(p.valueType);
          if (p.valueType == eap::empvtBool) property.value(Napi::Boolean::New(env, p.number != 0));
          else if (p.valueType == eap::empvtDword) property.value(Napi::Number::New(env, p.number));
          else property.value(ToBuffer(env, p.string));
          result.Set(static_cast<uint32_t>(i), property.Make());
        }
        return result;
      });
}

}  // namespace eaphost
