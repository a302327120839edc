//! Human-readable durations, exactly as kubectl prints them.
//!
//! A port of apimachinery `pkg/util/duration/duration.go`: [`human_duration`] is Go's
//! `HumanDuration` (every AGE / LAST SEEN / DURATION / `(2m ago)` cell of `kubectl get`, and
//! the ages in `kubectl describe` events), [`short_human_duration`] is `ShortHumanDuration`.
//! [`age`] is the printers' `translateTimestampSince`: the age of an RFC 3339 timestamp string
//! taken from an object, relative to a caller-supplied `now` (kubesim's virtual clock; the wall
//! clock is never read).
//!
//! ```text
//! let now: jiff::Timestamp = "2025-01-01T01:24:00Z".parse().unwrap();
//! age(Some("2025-01-01T00:00:00Z"), now)              == "84m"
//! human_duration(jiff::SignedDuration::from_secs(312)) == "5m12s"
//! ```

use jiff::{SignedDuration, Timestamp};

/// What the printers show for a missing, zero or unparseable timestamp.
pub const UNKNOWN: &str = "<unknown>";

/// The Go zero `time.Time` in RFC 3339 form; objects carrying it count as having no timestamp.
const GO_ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// Go's `HumanDuration`: a succinct representation with ~2-3 significant figures
/// (`45s`, `5m12s`, `84m`, `3h20m`, `47h`, `2d3h`, `12d`, `3y45d`, `8y`).
///
/// Durations of -2 s or less are `<invalid>`; shorter negative ones are `0s`. Units are
/// truncated, never rounded.
pub fn human_duration(d: SignedDuration) -> String {
    // `int(d.Seconds())` truncates toward zero, as `as_secs` does.
    let seconds = d.as_secs();
    if seconds < -1 {
        return "<invalid>".to_string();
    } else if seconds < 0 {
        return "0s".to_string();
    } else if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        if s == 0 {
            return format!("{minutes}m");
        }
        return format!("{minutes}m{s}s");
    } else if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = seconds / 3600;
    if hours < 8 {
        let m = minutes % 60;
        if m == 0 {
            return format!("{hours}h");
        }
        format!("{hours}h{m}m")
    } else if hours < 48 {
        format!("{hours}h")
    } else if hours < 24 * 8 {
        let h = hours % 24;
        if h == 0 {
            return format!("{}d", hours / 24);
        }
        format!("{}d{}h", hours / 24, h)
    } else if hours < 24 * 365 * 2 {
        format!("{}d", hours / 24)
    } else if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        if dy == 0 {
            return format!("{}y", hours / 24 / 365);
        }
        format!("{}y{}d", hours / 24 / 365, dy)
    } else {
        format!("{}y", hours / 24 / 365)
    }
}

/// Go's `ShortHumanDuration`: a single unit (`59s`, `1m`, `23h`, `364d`, `2y`), truncated.
/// Same `<invalid>` / `0s` rules as [`human_duration`].
pub fn short_human_duration(d: SignedDuration) -> String {
    let seconds = d.as_secs();
    if seconds < -1 {
        return "<invalid>".to_string();
    } else if seconds < 0 {
        return "0s".to_string();
    } else if seconds < 60 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 60 {
        return format!("{minutes}m");
    }
    let hours = seconds / 3600;
    if hours < 24 {
        format!("{hours}h")
    } else if hours < 24 * 365 {
        format!("{}d", hours / 24)
    } else {
        format!("{}y", hours / 24 / 365)
    }
}

/// Parses an object's RFC 3339 timestamp (`metadata.creationTimestamp`, `status.startTime`,
/// `eventTime` with microseconds, ...). `None` when missing, empty, unparseable, or the Go zero
/// time, which the printers all treat as "no timestamp".
pub fn parse_timestamp(ts: Option<&str>) -> Option<Timestamp> {
    let ts = ts?.trim();
    if ts.is_empty() || ts == GO_ZERO_TIME {
        return None;
    }
    let parsed: Timestamp = ts.parse().ok()?;
    let zero: Timestamp = GO_ZERO_TIME.parse().ok()?;
    (parsed != zero).then_some(parsed)
}

/// The printers' `translateTimestampSince`: `human_duration(now - ts)`, or `<unknown>` when
/// `ts` is missing, zero or unparseable.
pub fn age(ts: Option<&str>, now: Timestamp) -> String {
    match parse_timestamp(ts) {
        Some(t) => since(t, now),
        None => UNKNOWN.to_string(),
    }
}

/// `human_duration(now - t)` for an already-parsed timestamp.
pub fn since(t: Timestamp, now: Timestamp) -> String {
    human_duration(now.duration_since(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: i64 = 1;
    const MS: i64 = 1_000_000;
    const S: i64 = 1_000_000_000;
    const M: i64 = 60 * S;
    const H: i64 = 60 * M;
    const D: i64 = 24 * H;
    const Y: i64 = 365 * D;

    fn dur(nanos: i64) -> SignedDuration {
        SignedDuration::from_nanos(nanos)
    }

    /// duration_test.go TestHumanDuration.
    #[test]
    fn human_duration_vectors() {
        let cases: &[(i64, &str)] = &[
            (S, "1s"),
            (70 * S, "70s"),
            (190 * S, "3m10s"),
            (70 * M, "70m"),
            (47 * H, "47h"),
            (49 * H, "2d1h"),
            ((8 * 24 + 2) * H, "8d"),
            (367 * 24 * H, "367d"),
            ((365 * 2 * 24 + 25) * H, "2y1d"),
            ((365 * 8 * 24 + 2) * H, "8y"),
        ];
        for &(d, want) in cases {
            assert_eq!(human_duration(dur(d)), want, "{d}ns");
        }
    }

    /// duration_test.go TestHumanDurationBoundaries.
    #[test]
    fn human_duration_boundaries() {
        let cases: &[(i64, &str)] = &[
            (-2 * S, "<invalid>"),
            (-2 * S + NS, "0s"),
            (0, "0s"),
            (S - MS, "0s"),
            (2 * M - MS, "119s"),
            (2 * M, "2m"),
            (2 * M + S, "2m1s"),
            (10 * M - MS, "9m59s"),
            (10 * M, "10m"),
            (10 * M + S, "10m"),
            (3 * H - MS, "179m"),
            (3 * H, "3h"),
            (3 * H + M, "3h1m"),
            (8 * H - MS, "7h59m"),
            (8 * H, "8h"),
            (8 * H + 59 * M, "8h"),
            (2 * D - MS, "47h"),
            (2 * D, "2d"),
            (2 * D + H, "2d1h"),
            (8 * D - MS, "7d23h"),
            (8 * D, "8d"),
            (8 * D + 23 * H, "8d"),
            (2 * Y - MS, "729d"),
            (2 * Y, "2y"),
            (2 * Y + 23 * H, "2y"),
            (2 * Y + 23 * H + 59 * M, "2y"),
            (2 * Y + 24 * H - MS, "2y"),
            (2 * Y + 24 * H, "2y1d"),
            (3 * Y, "3y"),
            (4 * Y, "4y"),
            (5 * Y, "5y"),
            (6 * Y, "6y"),
            (7 * Y, "7y"),
            (8 * Y - MS, "7y364d"),
            (8 * Y, "8y"),
            (8 * Y + 364 * D, "8y"),
            (9 * Y, "9y"),
        ];
        for &(d, want) in cases {
            assert_eq!(human_duration(dur(d)), want, "{d}ns");
        }
    }

    /// duration_test.go TestShortHumanDurationBoundaries.
    #[test]
    fn short_human_duration_boundaries() {
        let cases: &[(i64, &str)] = &[
            (-2 * S, "<invalid>"),
            (-2 * S + NS, "0s"),
            (0, "0s"),
            (S - MS, "0s"),
            (S, "1s"),
            (2 * S - MS, "1s"),
            (M - MS, "59s"),
            (M, "1m"),
            (2 * M - MS, "1m"),
            (H - MS, "59m"),
            (H, "1h"),
            (2 * H - MS, "1h"),
            (24 * H - MS, "23h"),
            (24 * H, "1d"),
            (2 * D - MS, "1d"),
            (Y - MS, "364d"),
            (Y, "1y"),
            (2 * Y - MS, "1y"),
            (2 * Y, "2y"),
        ];
        for &(d, want) in cases {
            assert_eq!(short_human_duration(dur(d)), want, "{d}ns");
        }
    }

    #[test]
    fn reference_table_examples() {
        for (secs, want) in [
            (45, "45s"),
            (312, "5m12s"),
            (84 * 60, "84m"),
            (3 * 3600 + 20 * 60, "3h20m"),
            (2 * 86400 + 3 * 3600, "2d3h"),
            (12 * 86400, "12d"),
            (3 * 365 * 86400 + 45 * 86400, "3y45d"),
            (12 * 365 * 86400, "12y"),
        ] {
            assert_eq!(human_duration(SignedDuration::from_secs(secs)), want);
        }
    }

    #[test]
    fn age_of_timestamps() {
        let now: Timestamp = "2025-03-01T12:00:00Z".parse().unwrap();
        assert_eq!(age(Some("2025-03-01T11:54:48Z"), now), "5m12s");
        assert_eq!(age(Some("2025-03-01T12:00:00Z"), now), "0s");
        assert_eq!(age(Some("2025-03-01T12:00:01Z"), now), "0s");
        assert_eq!(age(Some("2025-03-01T12:00:02Z"), now), "<invalid>");
        assert_eq!(age(Some("2025-02-17T12:00:00Z"), now), "12d");
        // Offsets and fractional seconds (MicroTime) parse too.
        assert_eq!(age(Some("2025-03-01T13:00:00+02:00"), now), "60m");
        assert_eq!(age(Some("2025-03-01T11:59:30.123456Z"), now), "29s");
        assert_eq!(age(None, now), "<unknown>");
        assert_eq!(age(Some(""), now), "<unknown>");
        assert_eq!(age(Some("yesterday"), now), "<unknown>");
        assert_eq!(age(Some("0001-01-01T00:00:00Z"), now), "<unknown>");
    }
}
