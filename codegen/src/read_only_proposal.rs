//! What `import` proposes about whether an action only reads: `read_only: true` for an action
//! whose name starts with a verb that, across Tencent Cloud API 3.0, names a query
//! (`DescribeZones`, `CheckCnameStatus`, `InquirePriceCreate`). A person confirms each one:
//! the name is a convention, not a promise, and `read_only` lets the client send a request a
//! second time.

/// Verbs that start the names of actions that only read. `Download*` and `Export*` are left out
/// on purpose: in some services they start a job (an export task), which is a write.
pub const READ_VERBS: &[&str] = &["Describe", "Check", "Get", "List", "Query", "Inquire", "Search"];

/// The verb of `action` that makes it look read-only, if any: one of [`READ_VERBS`] followed by
/// an upper-case letter, a digit or nothing (`Checkout` is not `Check`).
///
/// ```
/// use codegen::read_only_proposal::read_verb;
/// assert_eq!(read_verb("DescribeZones"), Some("Describe"));
/// assert_eq!(read_verb("CheckCnameStatus"), Some("Check"));
/// assert_eq!(read_verb("Checkout"), None);
/// assert_eq!(read_verb("CreateZone"), None);
/// ```
pub fn read_verb(action: &str) -> Option<&'static str> {
    READ_VERBS.iter().copied().find(|verb| {
        action.strip_prefix(verb).is_some_and(|rest| {
            rest.chars()
                .next()
                .is_none_or(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_leading_verbs_count() {
        assert_eq!(read_verb("Describe"), Some("Describe"));
        assert_eq!(read_verb("GetAccount"), Some("Get"));
        assert_eq!(read_verb("ListTasks"), Some("List"));
        assert_eq!(read_verb("InquirePriceCreate"), Some("Inquire"));
        assert_eq!(read_verb("Query2Things"), Some("Query"));
        assert_eq!(read_verb("Getaway"), None);
        assert_eq!(read_verb("ModifyZone"), None);
        assert_eq!(read_verb("ExportZoneConfig"), None);
        assert_eq!(read_verb("DownloadL7Logs"), None);
        assert_eq!(read_verb("UndescribeX"), None);
    }
}
