#include "ingress.h"

#include <algorithm>
#include <string_view>

namespace routecheck {
namespace {

// merge(a, b) of §3.3: a in order, then the elements of b not already present. `source` is a view: the
// callers' literals ("key_metadata.tags") cost no string per call, only per tag merged.
void merge_into(RoutingTags& tags, const std::vector<std::string>& more, std::string_view source) {
  for (const std::string& t : more) {
    if (std::find(tags.list.begin(), tags.list.end(), t) != tags.list.end()) continue;
    tags.list.push_back(t);
    tags.sources.emplace_back(t, source);
  }
}

// §3.4: a tags value carries routing tags only as a list; non-string elements were dropped at parse.
// A string is matched by its characters in 1.82 (unverified-6), which StringTagsAsChars models.
RoutingTags normalise(const TagsField& value, const std::string& source, Profile profile, const Deviations& dev,
                      std::vector<std::string>& unverified) {
  RoutingTags out;
  if (value.kind == TagsField::Kind::List) {
    for (const std::string& t : value.strings) {
      out.list.push_back(t);
      out.sources.emplace_back(t, source);
    }
  } else if (value.kind == TagsField::Kind::String && profile == Profile::Litellm182) {
    unverified.push_back("unverified-6");
    if (has(dev, Deviation::StringTagsAsChars)) {
      std::vector<std::string> chars;
      for (char c : value.text) chars.emplace_back(1, c);
      merge_into(out, chars, source);
    }
  }
  return out;
}

// Whether RT(R) is the one parse_request precomputed: no key/team tags, no deviation of §3, the
// default reading of a litellm_metadata object.
bool plain(const Principal& principal, const Deviations& dev, Profile profile, const ProfileOptions& options) {
  return principal.key_tags.empty() && principal.team_tags.empty() && !has(dev, Deviation::StringTagsAsChars) &&
         !has(dev, Deviation::HeaderBeatsRootTags) &&
         (profile != Profile::Litellm182 || options.router_reads_litellm_metadata());
}

}  // namespace

bool router_reads_litellm_metadata(const ParsedRequest& p, Profile profile, const ProfileOptions& options) {
  return profile == Profile::Litellm182 && p.litellm_metadata_object && options.router_reads_litellm_metadata();
}

RoutingTags routing_tags(const ParsedRequest& p, const Principal& principal, Profile profile, const Deviations& dev,
                         const ProfileOptions& options, std::vector<std::string>& unverified) {
  // Point 5, confirmed on 1.82.3: the router's tag filter reads the body's litellm_metadata object (the
  // request has that key), so its `tags` are RT(R) as sent, and what the proxy wrote into the bucket —
  // header, root and metadata tags, key and team tags — is never read. No `tags` there: no routing tags.
  if (router_reads_litellm_metadata(p, profile, options))
    return p.litellm_metadata_tags ? normalise(*p.litellm_metadata_tags, "litellm_metadata.tags", profile, dev, unverified)
                                   : RoutingTags{};
  // The bucket's starting tags: body[bucket].tags, else (only for keys the bucket lacks) litellm_metadata.tags.
  const TagsField* start = p.bucket_tags ? &*p.bucket_tags : nullptr;
  std::string start_source = p.bucket + ".tags";
  if (p.litellm_metadata_tags) {
    // Settled for 1.82.3 (docs/confirmed-semantics.md, point 5); still open for latest.
    if (profile == Profile::LitellmLatest) unverified.push_back("unverified-5");
    if (!start) start = &*p.litellm_metadata_tags, start_source = "litellm_metadata.tags";
  }
  RoutingTags tags = start ? normalise(*start, start_source, profile, dev, unverified) : RoutingTags{};
  merge_into(tags, principal.key_tags, "key_metadata.tags");
  merge_into(tags, principal.team_tags, "team_metadata.tags");

  std::optional<RoutingTags> caller;
  bool header_first = has(dev, Deviation::HeaderBeatsRootTags) && p.header_tags;
  if (p.root_tags && !header_first) {
    caller = normalise(*p.root_tags, "tags", profile, dev, unverified);
  } else if (p.header_tags) {
    caller = RoutingTags{};
    for (const std::string& t : *p.header_tags) {
      caller->list.push_back(t);
      caller->sources.emplace_back(t, "x-litellm-tags");
    }
  }
  if (caller) {
    if (profile == Profile::Litellm182) {
      tags = std::move(*caller);  // 1.82: header or root tags replace everything above
    } else {
      for (const auto& [tag, source] : caller->sources) merge_into(tags, {tag}, source);  // latest: union
    }
  }
  return tags;
}

Ingress::Ingress(const ParsedRequest& p, const Config& config, const ConfigIndex& index, const Principal& principal,
                 Profile profile_, const Deviations& dev, const ProfileOptions& options)
    : request(p), profile(profile_), tags_from_litellm_metadata(router_reads_litellm_metadata(p, profile_, options)) {
  if (plain(principal, dev, profile, options)) {
    tags_ = &p.plain_tags[static_cast<std::size_t>(profile)];
    const std::vector<std::string>& points = p.plain_unverified[static_cast<std::size_t>(profile)];
    if (!points.empty()) unverified = points;
  } else {
    tags_ = &own_tags_.emplace(routing_tags(p, principal, profile, dev, options, unverified));
  }
  if (!principal.key_tags.empty() || !principal.team_tags.empty()) {
    inherited_tags = principal.key_tags;
    for (const std::string& t : principal.team_tags)
      if (std::find(inherited_tags->begin(), inherited_tags->end(), t) == inherited_tags->end())
        inherited_tags->push_back(t);
  }
  if (p.mock_rate_limit) unverified.push_back("unverified-18");

  model = index.lookup(p.model);
  routecheck::tag_matches(index, tags_->list, match_any(config, dev), tag_matches);
  for (const std::string& name : p.fallbacks.client) client_fallbacks.push_back(index.lookup(name));
  for (const FallbackRule& rule : p.fallbacks.generic) {
    generic_fallbacks.emplace_back();
    for (const std::string& name : rule.targets) generic_fallbacks.back().push_back(index.lookup(name));
  }
}

void tag_matches(const ConfigIndex& index, const std::vector<std::string>& tags, bool match_any, Bits& out) {
  if (match_any)
    index.carrying_any(tags, out);
  else
    index.carrying_all(tags, out);
}

bool match_any(const Config& config, const Deviations& dev) {
  return config.router.tag_filtering_match_any || has(dev, Deviation::MatchAllAsAny);
}

}  // namespace routecheck
