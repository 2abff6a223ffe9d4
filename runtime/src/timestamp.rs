//! Formatting and parsing of [`DateTime`] in the three wire formats AWS
//! protocols use: ISO 8601 (`date-time`), epoch seconds and HTTP dates
//! (`http-date`, IMF-fixdate). Every protocol goes through these helpers so a
//! timestamp reads and prints the same way everywhere.
//!
//! Output follows the Smithy conventions botocore applies: ISO 8601 in UTC
//! with `Z`, milliseconds only when the value has a fraction; epoch seconds
//! as an integer, or with up to three decimals; HTTP dates at second
//! precision. Input is lenient: ISO 8601 with any fraction and any UTC
//! offset, epoch seconds with a fraction, and IMF-fixdate, RFC 850 and
//! asctime HTTP dates.

use crate::error::DeserializeError;
use crate::schema::TimestampFormat;
use crate::types::DateTime;
use std::fmt::Write as _;

const DAY_NAMES: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Days since 1970-01-01 of a proleptic Gregorian date (the well-known
/// era-based conversion, exact for every representable year).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`]: (year, month, day).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// Broken-down UTC time of `dt`: (year, month, day, hour, minute, second, weekday index).
fn split(dt: DateTime) -> (i64, u32, u32, u32, u32, u32, usize) {
    let days = dt.secs().div_euclid(86_400);
    let rem = dt.secs().rem_euclid(86_400) as u32;
    let (y, m, d) = civil_from_days(days);
    (
        y,
        m,
        d,
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        days.rem_euclid(7) as usize,
    )
}

/// Formats `dt` in `format`.
pub fn format(dt: DateTime, format: TimestampFormat) -> String {
    let mut out = String::with_capacity(32);
    write(&mut out, dt, format);
    out
}

/// Appends `dt` in `format` to `out` (no allocation beyond `out`'s growth).
pub fn write(out: &mut String, dt: DateTime, format: TimestampFormat) {
    match format {
        TimestampFormat::Iso8601 => write_iso8601(out, dt),
        TimestampFormat::Rfc822 => write_http_date(out, dt),
        TimestampFormat::UnixTimestamp => write_epoch_seconds(out, dt),
    }
}

fn write_iso8601(out: &mut String, dt: DateTime) {
    let (y, mo, d, h, mi, s, _) = split(dt);
    let _ = write!(out, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
    // Millisecond precision, as on every other path (sub-millisecond parts are dropped).
    let millis = dt.subsec_nanos() / 1_000_000;
    if millis != 0 {
        let _ = write!(out, ".{millis:03}");
    }
    out.push('Z');
}

fn write_http_date(out: &mut String, dt: DateTime) {
    let (y, mo, d, h, mi, s, wd) = split(dt);
    let _ = write!(
        out,
        "{}, {d:02} {} {y:04} {h:02}:{mi:02}:{s:02} GMT",
        DAY_NAMES[wd],
        MONTH_NAMES[(mo - 1) as usize]
    );
}

fn write_epoch_seconds(out: &mut String, dt: DateTime) {
    let millis = dt.subsec_nanos() / 1_000_000;
    if millis == 0 {
        let _ = write!(out, "{}", dt.secs());
    } else {
        // Millisecond precision, trailing zeros dropped (1.5, 1.25, 1.125).
        // Before the epoch the fraction counts toward zero: -2 s + 500 ms is -1.5.
        let (sign, whole, millis) = if dt.secs() < 0 {
            ("-", -(dt.secs() + 1), 1000 - millis)
        } else {
            ("", dt.secs(), millis)
        };
        let mut frac = format!("{millis:03}");
        while frac.ends_with('0') {
            frac.pop();
        }
        let _ = write!(out, "{sign}{whole}.{frac}");
    }
}

/// Epoch seconds as the float a JSON body carries.
pub fn epoch_f64(dt: DateTime) -> f64 {
    let millis = dt.subsec_nanos() / 1_000_000;
    dt.secs() as f64 + f64::from(millis) / 1000.0
}

fn err(s: &str, what: &str) -> DeserializeError {
    DeserializeError::new(format!("invalid {what} timestamp {s:?}"))
}

/// Parses `s` in `format`. For robustness, a value in any other supported
/// format is also accepted when it is unambiguous.
pub fn parse(s: &str, format: TimestampFormat) -> Result<DateTime, DeserializeError> {
    let s = s.trim();
    let first = match format {
        TimestampFormat::Iso8601 => parse_iso8601(s),
        TimestampFormat::Rfc822 => parse_http_date(s),
        TimestampFormat::UnixTimestamp => parse_epoch_str(s),
    };
    first
        .or_else(|_| parse_iso8601(s))
        .or_else(|_| parse_http_date(s))
        .or_else(|_| parse_epoch_str(s))
        .map_err(|_| {
            err(
                s,
                match format {
                    TimestampFormat::Iso8601 => "date-time",
                    TimestampFormat::Rfc822 => "http-date",
                    TimestampFormat::UnixTimestamp => "epoch-seconds",
                },
            )
        })
}

/// Epoch seconds given as a number.
pub fn parse_epoch_f64(v: f64) -> Result<DateTime, DeserializeError> {
    DateTime::from_secs_f64(v)
        .ok_or_else(|| DeserializeError::new(format!("timestamp out of range: {v}")))
}

/// Epoch seconds given as text, e.g. `1515531081.123`.
pub fn parse_epoch_str(s: &str) -> Result<DateTime, DeserializeError> {
    let bad = || err(s, "epoch-seconds");
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        // Exponent forms like 1.5e9 are rare but valid numbers.
        return s
            .parse::<f64>()
            .map_err(|_| bad())
            .and_then(parse_epoch_f64);
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let secs: i64 = int.parse().map_err(|_| bad())?;
    if secs > 100_000_000_000_000 {
        return Err(bad());
    }
    let nanos = frac_nanos(frac);
    Ok(if neg {
        if nanos == 0 {
            DateTime::from_secs(-secs)
        } else {
            DateTime::from_secs_and_nanos(-secs - 1, 1_000_000_000 - nanos)
        }
    } else {
        DateTime::from_secs_and_nanos(secs, nanos)
    })
}

/// Nanoseconds of a decimal fraction's digits (extra digits are truncated).
fn frac_nanos(digits: &str) -> u32 {
    let mut nanos = 0u32;
    for (i, b) in digits.bytes().take(9).enumerate() {
        nanos += u32::from(b - b'0') * 10u32.pow(8 - i as u32);
    }
    nanos
}

fn num<T: std::str::FromStr>(s: &str, at: std::ops::Range<usize>) -> Option<T> {
    let part = s.get(at)?;
    if part.bytes().all(|b| b.is_ascii_digit()) {
        part.parse().ok()
    } else {
        None
    }
}

fn from_parts(
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
) -> Option<DateTime> {
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        // 60 allows a leap second; it is folded into the next minute.
        || second > 60
    {
        return None;
    }
    let secs = days_from_civil(year, month, day) * 86_400
        + i64::from(hour) * 3600
        + i64::from(minute) * 60
        + i64::from(second);
    Some(DateTime::from_secs_and_nanos(secs, nanos))
}

/// ISO 8601 / RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)`.
pub fn parse_iso8601(s: &str) -> Result<DateTime, DeserializeError> {
    parse_iso8601_opt(s).ok_or_else(|| err(s, "date-time"))
}

fn parse_iso8601_opt(s: &str) -> Option<DateTime> {
    let b = s.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let year: i64 = num(s, 0..4)?;
    let month: u32 = num(s, 5..7)?;
    let day: u32 = num(s, 8..10)?;
    let hour: u32 = num(s, 11..13)?;
    let minute: u32 = num(s, 14..16)?;
    let second: u32 = num(s, 17..19)?;
    let mut i = 19;
    let mut nanos = 0;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        let mut end = start;
        while end < b.len() && b[end].is_ascii_digit() {
            end += 1;
        }
        if end == start {
            return None;
        }
        nanos = frac_nanos(&s[start..end]);
        i = end;
    }
    let offset_secs: i64 = match b.get(i) {
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        // No zone: treat as UTC, as botocore does.
        None => 0,
        Some(&sign @ (b'+' | b'-')) => {
            let rest = &s[i + 1..];
            let (hh, mm) = match rest.len() {
                5 if rest.as_bytes()[2] == b':' => {
                    (num::<i64>(rest, 0..2)?, num::<i64>(rest, 3..5)?)
                }
                4 => (num::<i64>(rest, 0..2)?, num::<i64>(rest, 2..4)?),
                2 => (num::<i64>(rest, 0..2)?, 0),
                _ => return None,
            };
            if hh > 23 || mm > 59 {
                return None;
            }
            let off = hh * 3600 + mm * 60;
            if sign == b'+' { off } else { -off }
        }
        _ => return None,
    };
    let local = from_parts(year, month, day, hour, minute, second, nanos)?;
    Some(DateTime::from_secs_and_nanos(
        local.secs() - offset_secs,
        local.subsec_nanos(),
    ))
}

fn month_index(name: &str) -> Option<u32> {
    MONTH_NAMES
        .iter()
        .position(|m| m.eq_ignore_ascii_case(name))
        .map(|i| i as u32 + 1)
}

/// `HH:MM:SS[.fff]` as (hour, minute, second, nanos).
fn parse_clock(s: &str) -> Option<(u32, u32, u32, u32)> {
    let (hms, frac) = match s.split_once('.') {
        Some((a, f)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
            (a, frac_nanos(f))
        }
        Some(_) => return None,
        None => (s, 0),
    };
    if hms.len() != 8 || hms.as_bytes()[2] != b':' || hms.as_bytes()[5] != b':' {
        return None;
    }
    Some((num(hms, 0..2)?, num(hms, 3..5)?, num(hms, 6..8)?, frac))
}

/// HTTP date: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), also RFC 850
/// (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`).
pub fn parse_http_date(s: &str) -> Result<DateTime, DeserializeError> {
    parse_http_date_opt(s).ok_or_else(|| err(s, "http-date"))
}

fn parse_http_date_opt(s: &str) -> Option<DateTime> {
    let parts: Vec<&str> = s.split_ascii_whitespace().collect();
    match parts.as_slice() {
        // IMF-fixdate (weekday is not checked: the date decides).
        [wd, day, mon, year, clock, zone] if wd.ends_with(',') => {
            if !matches!(*zone, "GMT" | "UTC" | "+0000" | "Z") {
                return None;
            }
            let (h, mi, sec, ns) = parse_clock(clock)?;
            let day: u32 = if day.bytes().all(|b| b.is_ascii_digit()) {
                day.parse().ok()?
            } else {
                return None;
            };
            let year: i64 = if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) {
                year.parse().ok()?
            } else {
                return None;
            };
            from_parts(year, month_index(mon)?, day, h, mi, sec, ns)
        }
        // RFC 850.
        [wd, date, clock, "GMT"] if wd.ends_with(',') => {
            let mut it = date.split('-');
            let (d, m, y) = (it.next()?, it.next()?, it.next()?);
            if it.next().is_some() || y.len() != 2 || !y.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let yy: i64 = y.parse().ok()?;
            // Two-digit years: 70-99 → 1900s, else 2000s.
            let year = if yy >= 70 { 1900 + yy } else { 2000 + yy };
            let day: u32 = if d.bytes().all(|b| b.is_ascii_digit()) {
                d.parse().ok()?
            } else {
                return None;
            };
            let (h, mi, sec, ns) = parse_clock(clock)?;
            from_parts(year, month_index(m)?, day, h, mi, sec, ns)
        }
        // asctime.
        [_wd, mon, day, clock, year] => {
            if !day.bytes().all(|b| b.is_ascii_digit())
                || year.len() != 4
                || !year.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            let (h, mi, sec, ns) = parse_clock(clock)?;
            from_parts(
                year.parse().ok()?,
                month_index(mon)?,
                day.parse().ok()?,
                h,
                mi,
                sec,
                ns,
            )
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: DateTime = DateTime::from_secs(1_576_540_098);

    #[test]
    fn formats_each_wire_format() {
        assert_eq!(format(T, TimestampFormat::Iso8601), "2019-12-16T23:48:18Z");
        assert_eq!(
            format(T, TimestampFormat::Rfc822),
            "Mon, 16 Dec 2019 23:48:18 GMT"
        );
        assert_eq!(format(T, TimestampFormat::UnixTimestamp), "1576540098");
        let frac = DateTime::from_secs_and_nanos(1_576_540_098, 120_000_000);
        assert_eq!(
            format(frac, TimestampFormat::Iso8601),
            "2019-12-16T23:48:18.120Z"
        );
        assert_eq!(
            format(frac, TimestampFormat::UnixTimestamp),
            "1576540098.12"
        );
        assert_eq!(
            format(DateTime::UNIX_EPOCH, TimestampFormat::Rfc822),
            "Thu, 01 Jan 1970 00:00:00 GMT"
        );
        assert_eq!(
            format(DateTime::from_secs(-1), TimestampFormat::Iso8601),
            "1969-12-31T23:59:59Z"
        );
    }

    #[test]
    fn parses_iso8601_with_fraction_and_offsets() {
        assert_eq!(parse_iso8601("2019-12-16T23:48:18Z").unwrap(), T);
        assert_eq!(parse_iso8601("2019-12-16T22:48:18-01:00").unwrap(), T);
        assert_eq!(parse_iso8601("2019-12-17T00:48:18+01:00").unwrap(), T);
        let dt = parse_iso8601("2000-01-02T20:34:56.123Z").unwrap();
        assert_eq!((dt.secs(), dt.subsec_nanos()), (946_845_296, 123_000_000));
        assert!(parse_iso8601("2019-02-30T00:00:00Z").is_err());
        assert!(parse_iso8601("2019-12-16T23:48:18Zjunk").is_err());
        assert!(parse_iso8601("not a date").is_err());
    }

    #[test]
    fn parses_http_dates_in_three_styles() {
        assert_eq!(parse_http_date("Mon, 16 Dec 2019 23:48:18 GMT").unwrap(), T);
        assert_eq!(
            parse_http_date("Monday, 16-Dec-19 23:48:18 GMT").unwrap(),
            T
        );
        assert_eq!(parse_http_date("Mon Dec 16 23:48:18 2019").unwrap(), T);
        let dt = parse_http_date("Mon, 16 Dec 2019 23:48:18.52 GMT").unwrap();
        assert_eq!(dt.subsec_nanos(), 520_000_000);
        assert!(parse_http_date("Mon, 32 Dec 2019 23:48:18 GMT").is_err());
    }

    #[test]
    fn parses_epoch_text_and_numbers() {
        assert_eq!(parse_epoch_str("1576540098").unwrap(), T);
        let dt = parse_epoch_str("1576540098.5").unwrap();
        assert_eq!(dt.subsec_nanos(), 500_000_000);
        let neg = parse_epoch_str("-1.5").unwrap();
        assert_eq!((neg.secs(), neg.subsec_nanos()), (-2, 500_000_000));
        assert!(parse_epoch_str("12abc").is_err());
        assert!(parse_epoch_f64(f64::NAN).is_err());
        assert_eq!(parse_epoch_f64(1.5).unwrap().subsec_nanos(), 500_000_000);
    }

    #[test]
    fn parse_accepts_other_formats_as_fallback() {
        assert_eq!(parse("1576540098", TimestampFormat::Iso8601).unwrap(), T);
        assert_eq!(
            parse("2019-12-16T23:48:18Z", TimestampFormat::Rfc822).unwrap(),
            T
        );
        assert!(parse("garbage", TimestampFormat::UnixTimestamp).is_err());
    }

    #[test]
    fn civil_conversion_round_trips() {
        for days in [-800_000i64, -1, 0, 59, 60, 365, 11_016, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
