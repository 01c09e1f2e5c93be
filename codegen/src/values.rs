//! Checks of literal values that more than one stage needs (the validator checks examples with
//! them, the importer turns upstream sample text into typed examples with them), kept apart so
//! neither stage depends on the other for them.

/// Whether `text` is a calendar date `YYYY-MM-DD`.
pub fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// `YYYY-MM-DDThh:mm:ss`, optional fraction, optional `Z` or `±hh:mm` (a space for `T` is allowed).
pub fn is_iso8601(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let at = |i: usize, c: &[u8]| b.get(i).is_some_and(|x| c.contains(x));
    if !(digits(0..4)
        && at(4, b"-")
        && digits(5..7)
        && at(7, b"-")
        && digits(8..10)
        && at(10, b"T ")
        && digits(11..13)
        && at(13, b":")
        && digits(14..16)
        && at(16, b":")
        && digits(17..19))
    {
        return false;
    }
    let mut rest = &b[19..];
    if let Some(frac) = rest.strip_prefix(b".") {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    match rest {
        [] | [b'Z'] => true,
        [sign, h1, h2, b':', m1, m2] => {
            (*sign == b'+' || *sign == b'-') && [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_iso8601;

    #[test]
    fn recognises_iso8601_shapes() {
        for ok in [
            "2023-09-07T10:00:00Z",
            "2023-09-07T10:00:00+08:00",
            "2023-09-07 10:00:00",
            "2023-09-07T10:00:00.123Z",
        ] {
            assert!(is_iso8601(ok), "{ok}");
        }
        for bad in [
            "",
            "2023-09-07",
            "2023/09/07T10:00:00Z",
            "2023-09-07T10:00:00+0800",
            "2023-09-07T10:00:00.Z",
            "now",
        ] {
            assert!(!is_iso8601(bad), "{bad}");
        }
    }
}
