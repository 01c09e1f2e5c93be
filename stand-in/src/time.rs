// ISO 8601 date-times as the service writes them (`2024-09-18T05:03:46Z`) and reads them
// (`2022-02-09T00:00:00+08:00`), converted to and from unix seconds without a date library.

use crate::verify::utc_date;

/// `YYYY-MM-DDTHH:MM:SSZ` for a unix time, the form the service answers with.
pub(crate) fn iso_utc(unix_secs: i64) -> String {
    let secs_of_day = unix_secs.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        utc_date(unix_secs),
        secs_of_day / 3_600,
        secs_of_day % 3_600 / 60,
        secs_of_day % 60
    )
}

/// `YYYY-MM-DD HH:MM:SS` (UTC) for a unix time, the form the SSL Certificates service answers with.
pub(crate) fn plain_utc(unix_secs: i64) -> String {
    iso_utc(unix_secs).replace('T', " ").replace('Z', "")
}

/// Parses `YYYY-MM-DDTHH:MM:SS` followed by `Z` or `±HH:MM` (fractional seconds are allowed and
/// dropped) into unix seconds; `None` for anything else.
pub(crate) fn parse_iso(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() < 20 || bytes[4] != b'-' || bytes[7] != b'-' || !matches!(bytes[10], b'T' | b't' | b' ') {
        return None;
    }
    if bytes[13] != b':' || bytes[16] != b':' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = text.get(range)?;
        if digits.bytes().all(|b| b.is_ascii_digit()) {
            digits.parse().ok()
        } else {
            None
        }
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    // Skip a fractional part, then read the zone designator.
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &fraction[digits..];
    }
    let offset_secs = match rest.as_bytes() {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let field = |a: u8, b: u8| -> Option<i64> {
                (a.is_ascii_digit() && b.is_ascii_digit()).then(|| i64::from(a - b'0') * 10 + i64::from(b - b'0'))
            };
            let (hours, minutes) = (field(*h1, *h2)?, field(*m1, *m2)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let magnitude = hours * 3_600 + minutes * 60;
            if *sign == b'+' {
                magnitude
            } else {
                -magnitude
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3_600 + minute * 60 + second - offset_secs)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days-from-civil).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_from_march = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_plain_utc_times() {
        assert_eq!(plain_utc(1_700_000_000), "2023-11-14 22:13:20");
    }

    #[test]
    fn formats_unix_times_as_utc() {
        assert_eq!(iso_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_utc(1_726_635_826), "2024-09-18T05:03:46Z");
        assert_eq!(iso_utc(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn parses_what_it_formats_and_offsets() {
        for unix in [0, 951_782_400, 1_726_635_826, 4_107_542_400] {
            assert_eq!(parse_iso(&iso_utc(unix)), Some(unix));
        }
        assert_eq!(parse_iso("2022-02-09T00:00:00+08:00"), Some(1_644_336_000));
        assert_eq!(parse_iso("2022-02-08T16:00:00.250Z"), Some(1_644_336_000));
        assert_eq!(parse_iso("2022-02-08T10:30:00-05:30"), Some(1_644_336_000));
    }

    #[test]
    fn refuses_malformed_text() {
        for bad in [
            "",
            "2022-02-09",
            "2022-02-09T00:00:00",
            "2022-02-30T00:00:00Z",
            "2022-13-01T00:00:00Z",
            "2022-02-09T24:00:00Z",
            "2022-02-09T00:00:00+0800",
            "2022-02-09T00:00:00.Z",
            "20x2-02-09T00:00:00Z",
            "2022-02-09T00:00:00Zjunk",
            "２０２２-02-09T00:00:00Z",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }
}
