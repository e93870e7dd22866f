#pragma once
// Pipeline step 5 (semantics §4): which of a group's healthy deployments a request's tags admit.
#include <optional>
#include <string>
#include <vector>

#include "config_index.h"
#include "routecheck/config.h"
#include "routecheck/profile.h"
#include "bit_set.h"

namespace routecheck {

/// What one tag decision decided.
struct TagDecision {
  enum class Kind { Eligible, Denied, NoDeployments } kind = Kind::Eligible;
  Bits eligible;  // deployment indices; empty unless Eligible
};

/// Inputs of one tag decision besides the deployments.
struct TagQuery {
  const std::vector<std::string>& tags;  // the tags this decision reads: RT(R) in a correct proxy
  const Bits& matches;                   // the deployments whose tags match `tags` (tag_match, §4.1)
  const std::string& user_agent_line;    // "User-Agent: <agent>", or "" without one
  const ProfileOptions& options;
  const Deviations& dev;
  bool cooldown_shrunk = false;          // cooldowns removed some of the group (§4.2.2 item 5 applies)
};

/// The litellm-1.82 tag filter over `healthy`, a subset of group `group` (semantics §4.2), written into
/// `out` (the caller's decision, overwritten in place: no set is copied on the way back).
void filter_tags_182(const Config& config, const ConfigIndex& index, int group, const Bits& healthy,
                     const TagQuery& query, TagDecision& out);

/// The litellm-latest tag filter (semantics §4.3): !/& operators, prefix, per-group flag, fail-open.
/// `inherited` holds the DB-derived tags (key/team), nullopt without a database. Written into `out`.
void filter_tags_latest(const Config& config, const ConfigIndex& index, int group, const Bits& healthy,
                        const TagQuery& query, const std::optional<std::vector<std::string>>& inherited,
                        TagDecision& out);

/// §4.3.5 / §7.8: whether some configured deployment of `group` can satisfy the prefix-confirmed tags.
bool can_satisfy_confirmed_tags(const Config& config, const ModelGroup& group, const std::vector<std::string>& tags,
                                const ProfileOptions& options);

/// tag_match of §4.1: false for no request tags; any-overlap or subset.
bool tag_match(const std::vector<std::string>& deployment_tags, const std::vector<std::string>& request_tags,
               bool match_any);

/// Whether one of the deployment's compiled tag_regex patterns finds a match in `line`.
bool regex_hit(const ConfigIndex& index, int deployment, const std::string& line);

}  // namespace routecheck
