// What every listing shares: the `Offset`/`Limit` window (with the action's maximum) and the
// `Filters` (names the action knows, at most 20 values each, exact or fuzzy) joined by `Match`.
// A page is taken in one pass over the matches, so a long listing costs linear time per page.

use std::borrow::Cow;

use super::params::{invalid_value, opt, req, Field, Kind, Params, STRINGS};
use crate::response::ApiError;

/// `AdvancedFilter`.
const FILTER: &[Field] = &[req("Name", Kind::Str), req("Values", STRINGS), opt("Fuzzy", Kind::Bool)];
/// `Filters`: a list of `AdvancedFilter`.
pub(crate) const FILTERS: Kind = Kind::List(&Kind::Object(FILTER));

/// The page size when a listing's `Limit` is absent.
pub(crate) const DEFAULT_LIMIT: i64 = 20;
/// The most values one filter may list.
const MAX_FILTER_VALUES: usize = 20;

/// A listing's window: `Offset` (default 0, not negative) and `Limit` (default 20, 1 to `max`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Page {
    pub(crate) offset: usize,
    pub(crate) limit: usize,
}

impl Page {
    pub(crate) fn read(params: &Params<'_>, max: i64) -> Result<Self, ApiError> {
        Self::read_with_default(params, DEFAULT_LIMIT, max)
    }

    /// Like [`Page::read`], for a listing whose `Limit` defaults to `default`.
    pub(crate) fn read_with_default(params: &Params<'_>, default: i64, max: i64) -> Result<Self, ApiError> {
        let offset = params.int("Offset").unwrap_or(0);
        if offset < 0 {
            return Err(invalid_value(format!(
                "The parameter `Offset` must not be negative; got {offset}."
            )));
        }
        let limit = params.int("Limit").unwrap_or(default);
        if !(1..=max).contains(&limit) {
            return Err(invalid_value(format!(
                "The parameter `Limit` must be between 1 and {max} (the maximum); got {limit}."
            )));
        }
        Ok(Self {
            offset: usize::try_from(offset).unwrap_or(usize::MAX),
            limit: usize::try_from(limit).unwrap_or(usize::MAX),
        })
    }

    /// Counts every item and keeps the ones inside the window, in one pass.
    pub(crate) fn take<I: Iterator>(&self, items: I) -> (usize, Vec<I::Item>) {
        let mut total = 0;
        let mut kept = Vec::new();
        for item in items {
            if total >= self.offset && kept.len() < self.limit {
                kept.push(item);
            }
            total += 1;
        }
        (total, kept)
    }
}

/// A filter name a listing accepts, and whether it honours `Fuzzy`.
pub(crate) struct FilterRule {
    pub(crate) name: &'static str,
    pub(crate) fuzzy: bool,
}

/// A filter rule that matches whole values only.
pub(crate) const fn exact(name: &'static str) -> FilterRule {
    FilterRule { name, fuzzy: false }
}

/// A filter rule that also matches substrings when `Fuzzy` is true.
pub(crate) const fn fuzzy(name: &'static str) -> FilterRule {
    FilterRule { name, fuzzy: true }
}

struct Filter {
    name: &'static str,
    /// Lower-cased, for case-insensitive comparison.
    values: Vec<String>,
    substring: bool,
}

/// The `Filters` of a listing, joined by `all` (every filter matches) or `any`.
pub(crate) struct Filters {
    filters: Vec<Filter>,
    any: bool,
}

impl Filters {
    /// Reads `Filters` (names from `rules`, at most 20 values each) and, when `with_match`, the
    /// `Match` member (`all`, the default, or `any`).
    pub(crate) fn read(params: &Params<'_>, rules: &[FilterRule], with_match: bool) -> Result<Self, ApiError> {
        let any = with_match && params.one_of("Match", &["all", "any"], "all")? == "any";
        let mut filters = Vec::new();
        for (index, filter) in params.objects("Filters").into_iter().enumerate() {
            let name = filter.str("Name").unwrap_or("");
            let rule = rules.iter().find(|rule| rule.name == name).ok_or_else(|| {
                let known: Vec<&str> = rules.iter().map(|rule| rule.name).collect();
                ApiError::new(
                    "InvalidFilter",
                    format!(
                        "The filter name `{name}` (Filters.{index}.Name) is not supported; use one of: {}.",
                        known.join(", ")
                    ),
                )
            })?;
            let values = filter.strings("Values");
            if values.len() > MAX_FILTER_VALUES {
                return Err(ApiError::new(
                    "InvalidParameter.TooManyFilterValues",
                    format!(
                        "Filters.{index}.Values lists {} values; at most {MAX_FILTER_VALUES} are allowed.",
                        values.len()
                    ),
                ));
            }
            if values.is_empty() {
                return Err(invalid_value(format!("Filters.{index}.Values must not be empty.")));
            }
            filters.push(Filter {
                name: rule.name,
                values: values.iter().map(|value| value.to_ascii_lowercase()).collect(),
                substring: rule.fuzzy && filter.bool("Fuzzy").unwrap_or(false),
            });
        }
        Ok(Self { filters, any })
    }

    /// Whether a row matches: `field(name)` gives the row's values for a filter name, and a
    /// filter matches when one of its values equals (or, fuzzy, is inside) one of them.
    pub(crate) fn matches<'r>(&self, field: impl Fn(&str) -> Vec<Cow<'r, str>>) -> bool {
        if self.filters.is_empty() {
            return true;
        }
        let hit = |filter: &Filter| {
            field(filter.name).iter().any(|have| {
                let have = have.to_ascii_lowercase();
                filter.values.iter().any(|want| {
                    if filter.substring {
                        have.contains(want.as_str())
                    } else {
                        have == *want
                    }
                })
            })
        };
        if self.any {
            self.filters.iter().any(hit)
        } else {
            self.filters.iter().all(hit)
        }
    }
}

/// One borrowed field value, for [`Filters::matches`].
pub(crate) fn one(value: &str) -> Vec<Cow<'_, str>> {
    vec![Cow::Borrowed(value)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::params::parse_object;

    #[test]
    fn pages_check_their_bounds_and_take_one_window() {
        let read = |body: &str| {
            let map = parse_object(body.as_bytes()).unwrap_or_default();
            Page::read(&Params::new(&map), 100).map_err(|error| (error.code, error.message))
        };
        assert_eq!(read("{}"), Ok(Page { offset: 0, limit: 20 }));
        assert_eq!(read(r#"{"Offset":5,"Limit":100}"#), Ok(Page { offset: 5, limit: 100 }));
        for body in [r#"{"Limit":101}"#, r#"{"Limit":0}"#, r#"{"Offset":-1}"#] {
            let error = read(body).err();
            assert_eq!(
                error.as_ref().map(|(code, _)| code.as_str()),
                Some("InvalidParameterValue")
            );
            assert!(error.is_some_and(|(_, message)| message.contains("Offset") || message.contains("100")));
        }
        let page = Page { offset: 3, limit: 2 };
        assert_eq!(page.take(0..10), (10, vec![3, 4]));
        assert_eq!(page.take(0..4), (4, vec![3]));
        assert_eq!(page.take(0..2), (2, vec![]));
    }

    #[test]
    fn filters_match_exactly_or_fuzzily_with_all_or_any() {
        let rules = [exact("type"), fuzzy("name")];
        let read = |body: &str| {
            let map = parse_object(body.as_bytes()).unwrap_or_default();
            Filters::read(&Params::new(&map), &rules, true).map_err(|error| error.code)
        };
        let row = |name: &str| match name {
            "type" => one("A"),
            _ => one("www.Example.com"),
        };
        let all =
            read(r#"{"Filters":[{"Name":"type","Values":["a"]},{"Name":"name","Values":["example"],"Fuzzy":true}]}"#);
        assert!(all.as_ref().is_ok_and(|filters| filters.matches(row)));
        let exact_name = read(r#"{"Filters":[{"Name":"name","Values":["example"]}]}"#);
        assert!(exact_name.is_ok_and(|filters| !filters.matches(row)));
        let any = read(
            r#"{"Match":"any","Filters":[{"Name":"type","Values":["MX"]},{"Name":"name","Values":["www.example.com"]}]}"#,
        );
        assert!(any.is_ok_and(|filters| filters.matches(row)));
        assert_eq!(
            read(r#"{"Filters":[{"Name":"color","Values":["x"]}]}"#)
                .err()
                .as_deref(),
            Some("InvalidFilter")
        );
        let many = format!(r#"{{"Filters":[{{"Name":"type","Values":{:?}}}]}}"#, vec!["A"; 21]);
        assert_eq!(
            read(&many).err().as_deref(),
            Some("InvalidParameter.TooManyFilterValues")
        );
        assert_eq!(
            read(r#"{"Match":"some"}"#).err().as_deref(),
            Some("InvalidParameterValue")
        );
    }
}
