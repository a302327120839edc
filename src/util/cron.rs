//! robfig/cron v3.0.1, the parts the CronJob controller and the CronJob validation use:
//! `ParseStandard` (five fields `minute hour dom month dow`, the `@` descriptors,
//! `@every <duration>`, a `TZ=`/`CRON_TZ=` prefix) and `Schedule.Next`, ported line by line
//! onto jiff so the error texts and the daylight-saving behaviour are robfig's (Go's
//! `time.Date` and `AddDate` are emulated in [`go_date`]). No crate matched: `croner` accepts
//! `7`, `L`, `W`, `#` and rejects `5/15`; `cron`/`jiff-cron` read six or seven fields.
//!
//! Day of month and day of week are OR'ed when both are restricted and AND'ed when either
//! holds a `*` (robfig's "star bit"); `?` is `*`; `N/step` means `N-max/step`; `Next` gives up
//! after five years (an impossible date such as `0 0 30 2 *` has no next time).

use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Span, Timestamp};

/// Set when the field was written with a `*` or `?` (robfig's `starBit`).
const STAR_BIT: u64 = 1 << 63;

struct Bounds {
    min: u32,
    max: u32,
    names: &'static [(&'static str, u32)],
}

const SECONDS: Bounds = Bounds {
    min: 0,
    max: 59,
    names: &[],
};
const MINUTES: Bounds = Bounds {
    min: 0,
    max: 59,
    names: &[],
};
const HOURS: Bounds = Bounds {
    min: 0,
    max: 23,
    names: &[],
};
const DOM: Bounds = Bounds {
    min: 1,
    max: 31,
    names: &[],
};
const MONTHS: Bounds = Bounds {
    min: 1,
    max: 12,
    names: &[
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("apr", 4),
        ("may", 5),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
    ],
};
const DOW: Bounds = Bounds {
    min: 0,
    max: 6,
    names: &[
        ("sun", 0),
        ("mon", 1),
        ("tue", 2),
        ("wed", 3),
        ("thu", 4),
        ("fri", 5),
        ("sat", 6),
    ],
};

/// A crontab schedule as bit sets (robfig's `SpecSchedule`). `location: None` is Go's
/// `time.Local`: the schedule is read in the zone of the time handed to `next`.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecSchedule {
    pub second: u64,
    pub minute: u64,
    pub hour: u64,
    pub dom: u64,
    pub month: u64,
    pub dow: u64,
    pub location: Option<TimeZone>,
}

/// What `ParseStandard` returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Schedule {
    Spec(SpecSchedule),
    /// `@every <d>`: `d` (at least a second, whole seconds) after the time handed to `next`.
    Every(SignedDuration),
}

/// Go's `time.LoadLocation`: `""` and `UTC` are UTC, `Local` is the controller's zone (UTC
/// here); other names must be IANA names, spelled exactly (Go reads the zoneinfo files, so
/// case matters). The error is Go's text.
pub fn load_location(name: &str) -> Result<TimeZone, String> {
    if name.is_empty() || name == "UTC" || name == "Local" {
        return Ok(TimeZone::UTC);
    }
    if name.contains("..") || name.starts_with('/') || name.contains('\\') {
        return Err("time: invalid location name".to_string());
    }
    match TimeZone::get(name) {
        Ok(tz) if tz.iana_name() == Some(name) => Ok(tz),
        _ => Err(format!("unknown time zone {name}")),
    }
}

/// robfig's `ParseStandard`.
pub fn parse_standard(spec: &str) -> Result<Schedule, String> {
    parse(spec, false)
}

/// `seconds`: robfig's test parser (`Second | Minute | Hour | Dom | Month | DowOptional |
/// Descriptor`), only for the upstream vectors written with a seconds field.
fn parse(spec: &str, seconds: bool) -> Result<Schedule, String> {
    if spec.is_empty() {
        return Err("empty spec string".to_string());
    }
    let mut spec = spec;
    let mut loc = None;
    if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        let eq = spec.find('=').unwrap_or(0);
        // Go slices to the first space; without one robfig panics, here it is a bad location.
        let i = spec.find(' ').unwrap_or(spec.len());
        let name = &spec[eq + 1..i];
        match load_location(name) {
            Ok(tz) => loc = Some(tz),
            Err(e) => return Err(format!("provided bad location {name}: {e}")),
        }
        spec = spec[i..].trim();
    }
    if spec.starts_with('@') {
        return parse_descriptor(spec, loc);
    }
    let mut fields: Vec<&str> = spec.split_whitespace().collect();
    let (min, max) = if seconds { (5, 6) } else { (5, 5) };
    if fields.len() < min || fields.len() > max {
        let shown = format!("[{}]", fields.join(" "));
        return Err(if min == max {
            format!(
                "expected exactly {min} fields, found {}: {shown}",
                fields.len()
            )
        } else {
            format!(
                "expected {min} to {max} fields, found {}: {shown}",
                fields.len()
            )
        });
    }
    if seconds {
        if fields.len() == 5 {
            fields.push("*");
        }
    } else {
        fields.insert(0, "0");
    }
    Ok(Schedule::Spec(SpecSchedule {
        second: get_field(fields[0], &SECONDS)?,
        minute: get_field(fields[1], &MINUTES)?,
        hour: get_field(fields[2], &HOURS)?,
        dom: get_field(fields[3], &DOM)?,
        month: get_field(fields[4], &MONTHS)?,
        dow: get_field(fields[5], &DOW)?,
        location: loc,
    }))
}

/// A comma-separated list of ranges (empty pieces skipped, as Go's `FieldsFunc`).
fn get_field(field: &str, r: &Bounds) -> Result<u64, String> {
    let mut bits = 0;
    for expr in field.split(',').filter(|e| !e.is_empty()) {
        bits |= get_range(expr, r)?;
    }
    Ok(bits)
}

/// `number | number "-" number [ "/" number ]`, `*` or `?`, names in the month and weekday
/// fields.
fn get_range(expr: &str, r: &Bounds) -> Result<u64, String> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single = low_and_high.len() == 1;
    let mut extra = 0;
    let (start, mut end);
    if low_and_high[0] == "*" || low_and_high[0] == "?" {
        start = r.min;
        end = r.max;
        extra = STAR_BIT;
    } else {
        start = parse_int_or_name(low_and_high[0], r.names)?;
        end = match low_and_high.len() {
            1 => start,
            2 => parse_int_or_name(low_and_high[1], r.names)?,
            _ => return Err(format!("too many hyphens: {expr}")),
        };
    }
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = must_parse_int(range_and_step[1])?;
            if single {
                end = r.max;
            }
            if step > 1 {
                extra = 0;
            }
            step
        }
        _ => return Err(format!("too many slashes: {expr}")),
    };
    if start < r.min {
        return Err(format!(
            "beginning of range ({start}) below minimum ({}): {expr}",
            r.min
        ));
    }
    if end > r.max {
        return Err(format!(
            "end of range ({end}) above maximum ({}): {expr}",
            r.max
        ));
    }
    if start > end {
        return Err(format!(
            "beginning of range ({start}) beyond end of range ({end}): {expr}"
        ));
    }
    if step == 0 {
        return Err(format!("step of range should be a positive number: {expr}"));
    }
    Ok(get_bits(start, end, step) | extra)
}

fn parse_int_or_name(expr: &str, names: &[(&str, u32)]) -> Result<u32, String> {
    let lower = expr.to_ascii_lowercase();
    if let Some((_, v)) = names.iter().find(|(n, _)| *n == lower) {
        return Ok(*v);
    }
    must_parse_int(expr)
}

/// Go's `strconv.Atoi` (sign allowed), then robfig's refusal of negatives.
fn must_parse_int(expr: &str) -> Result<u32, String> {
    let digits = expr.strip_prefix(['+', '-']).unwrap_or(expr);
    let syntax = || {
        format!(
            "failed to parse int from {expr}: strconv.Atoi: parsing {}: invalid syntax",
            super::go_quote(expr)
        )
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(syntax());
    }
    let num: i64 = match expr.parse::<i64>() {
        Ok(n) => n,
        Err(_) => {
            return Err(format!(
                "failed to parse int from {expr}: strconv.Atoi: parsing {}: value out of range",
                super::go_quote(expr)
            ));
        }
    };
    if num < 0 {
        return Err(format!("negative number ({num}) not allowed: {expr}"));
    }
    // Anything this large is above every field's maximum; keep it so the message says so.
    Ok(u32::try_from(num).unwrap_or(u32::MAX))
}

fn get_bits(min: u32, max: u32, step: u32) -> u64 {
    let mut bits = 0u64;
    let mut i = min;
    while i <= max {
        bits |= 1 << i;
        i += step;
    }
    bits
}

fn all(r: &Bounds) -> u64 {
    get_bits(r.min, r.max, 1) | STAR_BIT
}

fn parse_descriptor(d: &str, loc: Option<TimeZone>) -> Result<Schedule, String> {
    let one = |r: &Bounds| 1u64 << r.min;
    let spec = |dom, month, dow, hour| {
        Schedule::Spec(SpecSchedule {
            second: one(&SECONDS),
            minute: one(&MINUTES),
            hour,
            dom,
            month,
            dow,
            location: loc.clone(),
        })
    };
    Ok(match d {
        "@yearly" | "@annually" => spec(one(&DOM), one(&MONTHS), all(&DOW), one(&HOURS)),
        "@monthly" => spec(one(&DOM), all(&MONTHS), all(&DOW), one(&HOURS)),
        "@weekly" => spec(all(&DOM), all(&MONTHS), one(&DOW), one(&HOURS)),
        "@daily" | "@midnight" => spec(all(&DOM), all(&MONTHS), all(&DOW), one(&HOURS)),
        "@hourly" => spec(all(&DOM), all(&MONTHS), all(&DOW), all(&HOURS)),
        _ => {
            if let Some(rest) = d.strip_prefix("@every ") {
                let dur = super::go_parse_duration(rest)
                    .map_err(|e| format!("failed to parse duration {d}: {e}"))?;
                let dur = dur.max(SignedDuration::from_secs(1));
                return Ok(Schedule::Every(SignedDuration::from_secs(dur.as_secs())));
            }
            return Err(format!("unrecognized descriptor: {d}"));
        }
    })
}

impl Schedule {
    /// The next activation strictly after `t`, with the schedule read in its own zone or, for
    /// a schedule without one, in `local`; `None` when there is none within five years.
    pub fn next(&self, t: Timestamp, local: &TimeZone) -> Option<Timestamp> {
        match self {
            Schedule::Every(d) => {
                Some(t + *d - SignedDuration::from_nanos(i64::from(t.subsec_nanosecond())))
            }
            Schedule::Spec(s) => s.next(t, local),
        }
    }
}

fn bit(v: impl Into<i64>) -> u64 {
    1u64 << v.into()
}

impl SpecSchedule {
    // Long because: robfig's `Next` is one function of nested loops with `goto WRAP`; kept whole
    // so it reads against the Go line by line.
    fn next(&self, t: Timestamp, local: &TimeZone) -> Option<Timestamp> {
        let loc = self.location.clone().unwrap_or_else(|| local.clone());
        let civil = |t: Timestamp| t.to_zoned(loc.clone()).datetime();
        // The earliest possible time: the upcoming second.
        let mut t = Timestamp::from_second(t.as_second() + 1).ok()?;
        let mut added = false;
        let year_limit = civil(t).year() + 5;
        'wrap: loop {
            if civil(t).year() > year_limit {
                return None;
            }
            // The month.
            loop {
                let c = civil(t);
                if bit(c.month()) & self.month != 0 {
                    break;
                }
                if !added {
                    added = true;
                    t = go_date(&loc, c.year(), c.month().into(), 1, 0, 0, 0)?;
                }
                t = add_date(&loc, t, 1, 0)?;
                if civil(t).month() == 1 {
                    continue 'wrap;
                }
            }
            // A day in that month (midnight may not exist on a DST day: fix the hour).
            loop {
                let c = civil(t);
                if self.day_matches(c.date()) {
                    break;
                }
                if !added {
                    added = true;
                    t = go_date(&loc, c.year(), c.month().into(), c.day().into(), 0, 0, 0)?;
                }
                t = add_date(&loc, t, 0, 1)?;
                let h = i64::from(civil(t).hour());
                if h != 0 {
                    t = if h > 12 {
                        t + SignedDuration::from_hours(24 - h)
                    } else {
                        t - SignedDuration::from_hours(h)
                    };
                }
                if civil(t).day() == 1 {
                    continue 'wrap;
                }
            }
            loop {
                let c = civil(t);
                if bit(c.hour()) & self.hour != 0 {
                    break;
                }
                if !added {
                    added = true;
                    t = go_date(
                        &loc,
                        c.year(),
                        c.month().into(),
                        c.day().into(),
                        c.hour().into(),
                        0,
                        0,
                    )?;
                }
                t += SignedDuration::from_hours(1);
                if civil(t).hour() == 0 {
                    continue 'wrap;
                }
            }
            loop {
                if bit(civil(t).minute()) & self.minute != 0 {
                    break;
                }
                if !added {
                    added = true;
                    t = Timestamp::from_second(t.as_second().div_euclid(60) * 60).ok()?;
                }
                t += SignedDuration::from_mins(1);
                if civil(t).minute() == 0 {
                    continue 'wrap;
                }
            }
            loop {
                if bit(civil(t).second()) & self.second != 0 {
                    break;
                }
                added = true;
                t += SignedDuration::from_secs(1);
                if civil(t).second() == 0 {
                    continue 'wrap;
                }
            }
            return Some(t);
        }
    }

    fn day_matches(&self, d: Date) -> bool {
        let dom = bit(d.day()) & self.dom != 0;
        let dow = bit(d.weekday().to_sunday_zero_offset()) & self.dow != 0;
        if self.dom & STAR_BIT != 0 || self.dow & STAR_BIT != 0 {
            dom && dow
        } else {
            dom || dow
        }
    }
}

/// Go's `t.AddDate(0, months, days)`: the same wall clock `months`/`days` later, normalized.
fn add_date(loc: &TimeZone, t: Timestamp, months: i64, days: i64) -> Option<Timestamp> {
    let c = t.to_zoned(loc.clone()).datetime();
    go_date(
        loc,
        c.year(),
        i64::from(c.month()) + months,
        i64::from(c.day()) + days,
        c.hour().into(),
        c.minute().into(),
        c.second().into(),
    )
}

/// Go's `time.Date(y, m, d, h, min, s, 0, loc)`: out-of-range months and days roll over, and a
/// wall clock in a DST gap or fold resolves as Go resolves it (the offset found for the wall
/// clock read as UTC, corrected once if that instant lies in another zone period).
fn go_date(
    loc: &TimeZone,
    year: i16,
    month: i64,
    day: i64,
    hour: i64,
    min: i64,
    sec: i64,
) -> Option<Timestamp> {
    let m0 = month - 1;
    let year = i64::from(year) + m0.div_euclid(12);
    let month = m0.rem_euclid(12) + 1;
    let date = Date::new(i16::try_from(year).ok()?, month as i8, 1)
        .ok()?
        .checked_add(Span::new().days(day - 1))
        .ok()?;
    let dt = DateTime::from_parts(date, jiff::civil::Time::midnight());
    let unix = Offset::UTC.to_timestamp(dt).ok()?.as_second() + hour * 3600 + min * 60 + sec;
    let off = |s: i64| -> Option<i64> {
        Some(i64::from(
            loc.to_offset(Timestamp::from_second(s).ok()?).seconds(),
        ))
    };
    let mut offset = off(unix)?;
    if offset != 0 {
        offset = off(unix - offset)?;
    }
    Timestamp::from_second(unix - offset).ok()
}

#[cfg(test)]
mod tests;
