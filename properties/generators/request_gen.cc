#include "generators/request_gen.h"

#include "generators/choice.h"

namespace routecheck::generators {

using nlohmann::json;
namespace gen = rc::gen;

const std::vector<std::string>& request_tag_alphabet() {
  static const std::vector<std::string> tags = {"eu", "us", "gpu", "default", "batch"};
  return tags;
}

rc::Gen<std::vector<std::string>> genRoutingTags() { return subset_of(request_tag_alphabet(), 35); }

rc::Gen<RequestSpec> genRequest(bool live_safe) {
  return gen::build<RequestSpec>(
      gen::set(&RequestSpec::group, uniform(0, kMaxGroups)),
      gen::set(&RequestSpec::specific_deployment, chance(5)),
      gen::set(&RequestSpec::responses_endpoint, live_safe ? gen::just(false) : chance(20)),
      gen::set(&RequestSpec::body_tags, sometimes(35, genRoutingTags())),
      gen::set(&RequestSpec::metadata_tags, sometimes(35, genRoutingTags())),
      gen::set(&RequestSpec::litellm_metadata_tags,
               live_safe ? gen::just(std::optional<std::vector<std::string>>()) : sometimes(15, genRoutingTags())),
      gen::set(&RequestSpec::header_tags, sometimes(35, genRoutingTags())));
}

json render_request(const RequestSpec& spec, const ConfigShape& shape) {
  const auto& [group, ids] = shape.groups[static_cast<std::size_t>(spec.group) % shape.groups.size()];
  std::string model = spec.specific_deployment && !ids.empty() ? ids.front() : group;
  json body = {{"model", model}};
  std::string path = "/v1/chat/completions";
  if (spec.responses_endpoint) {
    path = "/v1/responses";
    body["input"] = "ping";
  } else {
    body["messages"] = json::array({{{"role", "user"}, {"content", "ping"}}});
  }
  // On /v1/responses litellm_metadata is the bucket (and only there live-safe); metadata is then the
  // provider's own parameter and not a tag source (§3.1), which the properties rely on.
  if (spec.body_tags) body["tags"] = *spec.body_tags;
  if (spec.metadata_tags) body["metadata"] = {{"tags", *spec.metadata_tags}};
  if (spec.litellm_metadata_tags) body["litellm_metadata"] = {{"tags", *spec.litellm_metadata_tags}};
  json headers = json::object();
  if (spec.header_tags && !spec.header_tags->empty()) {
    std::string value;
    for (const std::string& t : *spec.header_tags) value += (value.empty() ? "" : ", ") + t;
    headers["x-litellm-tags"] = value;
  }
  return {{"path", path}, {"headers", headers}, {"body", body}};
}

}  // namespace routecheck::generators
