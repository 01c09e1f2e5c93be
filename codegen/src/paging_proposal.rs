//! What `import` proposes for an action that pages: a `pagination` block, when the action takes
//! `Offset` and `Limit`, reports a total and returns one list, with the largest page read from
//! the `Limit` member's upstream documentation (English or Chinese wording).

use crate::diag::join;
use crate::spec::{Action, Bound, Member, Pagination, TypeRef};

/// Names a total-count member goes by in the official descriptions, most usual first.
const TOTAL_NAMES: &[&str] = &["TotalCount", "Total", "TotalNumber"];

/// What the importer concluded about one action.
#[derive(Debug, PartialEq)]
pub enum Proposal {
    /// The action does not page with `Offset`/`Limit` and a total.
    None,
    /// A complete block, the maximum found in the docs.
    Block(Pagination),
    /// The action pages, but the docs give no maximum: a person must supply it.
    Ask {
        /// The block's JSON path.
        path: String,
        /// The items member.
        items: String,
        /// The total member.
        total: String,
    },
}

fn integer(m: &Member) -> bool {
    matches!(m.ty, Some(TypeRef::Int64 | TypeRef::Uint64))
}

/// The proposal for `action`, whose `Limit` was documented upstream as `limit_doc`.
pub fn propose(action: &Action, limit_doc: &str) -> Proposal {
    let has = |name: &str| action.input.iter().any(|m| m.name == name && integer(m));
    if !has("Offset") || !has("Limit") {
        return Proposal::None;
    }
    let Some(total) = TOTAL_NAMES
        .iter()
        .find(|name| action.output.iter().any(|m| m.name == **name && integer(m)))
    else {
        return Proposal::None;
    };
    let lists: Vec<&Member> = action
        .output
        .iter()
        .filter(|m| matches!(m.ty, Some(TypeRef::List(_))))
        .collect();
    let [items] = lists.as_slice() else {
        return Proposal::None;
    };
    let path = join(&action.path, "pagination");
    match max_page_size(limit_doc) {
        Some(max) => Proposal::Block(Pagination {
            path,
            offset: "Offset".to_owned(),
            limit: "Limit".to_owned(),
            total: Some((*total).to_owned()),
            items: items.name.clone(),
            max_page_size: Some(max),
        }),
        None => Proposal::Ask {
            path,
            items: items.name.clone(),
            total: (*total).to_owned(),
        },
    }
}

/// The largest page a `Limit` documentation states: "Maximum value: 100", "maximum 200",
/// "Value range: 1-1000", "最大值为100", "取值范围：1-1000", "最大可设置为100".
pub fn max_page_size(doc: &str) -> Option<u64> {
    const PATTERNS: &[&str] = &[
        r"(?i)max(?:imum)?(?:\s+value)?(?:\s+is|\s*[:：=])?\s*(\d+)",
        r"(?i)(?:value\s+)?range\s*(?:is|[:：])?\s*\[?\s*\d+\s*(?:-|~|to|,)\s*(\d+)",
        r"(?:最大|上限)(?:值|取值|可设置|可设为|支持|查询条目)?\s*(?:为|是|：|:)?\s*(\d+)",
        r"取值范围\s*(?:为|是|：|:)?\s*\[?\s*\d+\s*(?:-|~|～|到|,|，)\s*(\d+)",
    ];
    PATTERNS.iter().find_map(|pattern| {
        let re = regex_lite::Regex::new(pattern).ok()?;
        re.captures(doc)?.get(1)?.as_str().parse().ok().filter(|n| *n > 0)
    })
}

/// Gives `limit` the range the block implies, unless a person already set one.
pub fn constrain_limit(limit: &mut Member, max: u64) {
    if limit.constraints.range.is_none() {
        limit.constraints.range = Some(Bound {
            min: Some(1.into()),
            max: Some(max.into()),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_maximum_in_both_languages() {
        let cases = [
            (
                "Limit on paginated queries. Default value: 20. Maximum value: 100.",
                Some(100),
            ),
            (
                "Number limit of paginated query. default value: 20. maximum value: 1000.",
                Some(1000),
            ),
            (
                "Limit on paginated queries. Value range: 1-1000. Default value: 20.",
                Some(1000),
            ),
            ("分页查询限制数目，默认值：20，最大值：100。", Some(100)),
            ("分页查询限制数目。默认值为20，最大值为1000。", Some(1000)),
            ("分页查询的限制数目，取值范围：1-1000，默认为20。", Some(1000)),
            ("分页查询限制数目，默认值：20，上限：1000。", Some(1000)),
            ("分页查询的限制数目，默认值为 20，最大查询条目为 300。", Some(300)),
            ("Number of items per page. Default value: 20.", None),
        ];
        for (doc, want) in cases {
            assert_eq!(max_page_size(doc), want, "{doc}");
        }
    }
}
