//! robfig/cron v3.0.1's own tables (parser_test.go, spec_test.go), times as the Go tests
//! write them.

use super::*;

fn bounds(min: u32, max: u32) -> Bounds {
    Bounds {
        min,
        max,
        names: &[],
    }
}

/// `TestRange`.
#[test]
fn ranges() {
    let cases: &[(&str, u32, u32, u64, &str)] = &[
        ("5", 0, 7, 1 << 5, ""),
        ("0", 0, 7, 1, ""),
        ("7", 0, 7, 1 << 7, ""),
        ("5-5", 0, 7, 1 << 5, ""),
        ("5-6", 0, 7, 1 << 5 | 1 << 6, ""),
        ("5-7", 0, 7, 1 << 5 | 1 << 6 | 1 << 7, ""),
        ("5-6/2", 0, 7, 1 << 5, ""),
        ("5-7/2", 0, 7, 1 << 5 | 1 << 7, ""),
        ("5-7/1", 0, 7, 1 << 5 | 1 << 6 | 1 << 7, ""),
        ("*", 1, 3, 1 << 1 | 1 << 2 | 1 << 3 | STAR_BIT, ""),
        ("*/2", 1, 3, 1 << 1 | 1 << 3, ""),
        ("5--5", 0, 0, 0, "too many hyphens"),
        ("jan-x", 0, 0, 0, "failed to parse int from"),
        ("2-x", 1, 5, 0, "failed to parse int from"),
        ("*/-12", 0, 0, 0, "negative number"),
        ("*//2", 0, 0, 0, "too many slashes"),
        ("1", 3, 5, 0, "below minimum"),
        ("6", 3, 5, 0, "above maximum"),
        ("5-3", 3, 5, 0, "beyond end of range"),
        ("*/0", 0, 0, 0, "should be a positive number"),
    ];
    for (expr, min, max, want, err) in cases {
        let got = get_range(expr, &bounds(*min, *max));
        if err.is_empty() {
            assert_eq!(got, Ok(*want), "{expr}");
        } else {
            let e = got.unwrap_err();
            assert!(e.contains(err), "{expr}: {e}");
        }
    }
}

/// `TestField`, `TestAll`, `TestBits`.
#[test]
fn fields_and_bits() {
    let cases: &[(&str, u64)] = &[
        ("5", 1 << 5),
        ("5,6", 1 << 5 | 1 << 6),
        ("5,6,7", 1 << 5 | 1 << 6 | 1 << 7),
        ("1,5-7/2,3", 1 << 1 | 1 << 5 | 1 << 7 | 1 << 3),
    ];
    for (expr, want) in cases {
        assert_eq!(get_field(expr, &bounds(1, 7)), Ok(*want), "{expr}");
    }
    assert_eq!(all(&MINUTES), 0xfffffffffffffff | STAR_BIT);
    assert_eq!(all(&HOURS), 0xffffff | STAR_BIT);
    assert_eq!(all(&DOM), 0xfffffffe | STAR_BIT);
    assert_eq!(all(&MONTHS), 0x1ffe | STAR_BIT);
    assert_eq!(all(&DOW), 0x7f | STAR_BIT);
    assert_eq!(get_bits(0, 0, 1), 0x1);
    assert_eq!(get_bits(1, 1, 1), 0x2);
    assert_eq!(get_bits(1, 5, 2), 0x2a);
    assert_eq!(get_bits(1, 4, 2), 0xa);
}

/// `TestParseScheduleErrors` (second parser) and `TestErrors` (standard parser), with the
/// texts kubectl shows in `spec.schedule: Invalid value`.
#[test]
fn parse_errors() {
    for (expr, err) in [
        ("* 5 j * * *", "failed to parse int from"),
        ("@every Xm", "failed to parse duration"),
        ("@unrecognized", "unrecognized descriptor"),
        ("* * * *", "expected 5 to 6 fields"),
        ("", "empty spec string"),
    ] {
        let e = parse(expr, true).unwrap_err();
        assert!(e.contains(err), "{expr}: {e}");
    }
    for spec in ["xyz", "60 0 * * *", "0 60 * * *", "0 0 * * XYZ"] {
        assert!(parse_standard(spec).is_err(), "{spec}");
    }
    assert_eq!(
        parse_standard("* * * *").unwrap_err(),
        "expected exactly 5 fields, found 4: [* * * *]"
    );
    assert_eq!(
        parse_standard("0 0 * * 7").unwrap_err(),
        "end of range (7) above maximum (6): 7"
    );
    assert_eq!(
        parse_standard("0 0 * * XYZ").unwrap_err(),
        "failed to parse int from XYZ: strconv.Atoi: parsing \"XYZ\": invalid syntax"
    );
    assert_eq!(
        parse_standard("TZ=Mars/Olympus 0 0 * * *").unwrap_err(),
        "provided bad location Mars/Olympus: unknown time zone Mars/Olympus"
    );
    // `TestSlash0NoHang`.
    assert!(parse_standard("TZ=America/New_York 15/0 * * * *").is_err());
}

fn every5min(loc: Option<TimeZone>) -> Schedule {
    Schedule::Spec(SpecSchedule {
        second: 1,
        minute: 1 << 5,
        hour: all(&HOURS),
        dom: all(&DOM),
        month: all(&MONTHS),
        dow: all(&DOW),
        location: loc,
    })
}

/// `TestParseSchedule`.
#[test]
fn parse_schedules() {
    let utc = Some(TimeZone::UTC);
    let tokyo = Some(TimeZone::get("Asia/Tokyo").unwrap());
    assert_eq!(parse("0 5 * * * *", true), Ok(every5min(None)));
    assert_eq!(parse_standard("5 * * * *"), Ok(every5min(None)));
    assert_eq!(
        parse("CRON_TZ=UTC  0 5 * * * *", true),
        Ok(every5min(utc.clone()))
    );
    assert_eq!(parse_standard("CRON_TZ=UTC  5 * * * *"), Ok(every5min(utc)));
    assert_eq!(
        parse("CRON_TZ=Asia/Tokyo 0 5 * * * *", true),
        Ok(every5min(tokyo))
    );
    assert_eq!(
        parse_standard("@every 5m"),
        Ok(Schedule::Every(SignedDuration::from_mins(5)))
    );
    let midnight = SpecSchedule {
        second: 1,
        minute: 1,
        hour: 1,
        dom: all(&DOM),
        month: all(&MONTHS),
        dow: all(&DOW),
        location: None,
    };
    assert_eq!(parse_standard("@midnight"), Ok(Schedule::Spec(midnight)));
    let annual = SpecSchedule {
        second: 1,
        minute: 1,
        hour: 1,
        dom: 1 << 1,
        month: 1 << 1,
        dow: all(&DOW),
        location: None,
    };
    assert_eq!(
        parse_standard("@yearly"),
        Ok(Schedule::Spec(annual.clone()))
    );
    assert_eq!(parse_standard("@annually"), Ok(Schedule::Spec(annual)));
    assert_eq!(
        parse("* 5 * * * *", true),
        Ok(Schedule::Spec(SpecSchedule {
            second: all(&SECONDS),
            minute: 1 << 5,
            hour: all(&HOURS),
            dom: all(&DOM),
            month: all(&MONTHS),
            dow: all(&DOW),
            location: None,
        }))
    );
}

/// Go's layouts in spec_test.go: `Mon Jan 2 15:04[:05] 2006` in the local zone (UTC here),
/// `2006-01-02T15:04:05-0700`, optionally after `TZ=<zone> ` (then read in that zone).
fn go_time(v: &str) -> (Timestamp, TimeZone) {
    let (tz, v) = match v.strip_prefix("TZ=") {
        Some(rest) => {
            let (name, v) = rest.split_once(' ').unwrap();
            (TimeZone::get(name).unwrap(), v)
        }
        None => (TimeZone::UTC, v),
    };
    // Go does not check the weekday (upstream writes "Thu Jul 11 2012", a Wednesday).
    let no_weekday = v.split_once(' ').map_or(v, |(_, rest)| rest);
    for fmt in ["%b %d %H:%M %Y", "%b %d %H:%M:%S %Y"] {
        if let Ok(dt) = DateTime::strptime(fmt, no_weekday) {
            return (tz.to_timestamp(dt).unwrap(), tz);
        }
    }
    let z = jiff::fmt::strtime::parse("%Y-%m-%dT%H:%M:%S%z", v)
        .unwrap_or_else(|e| panic!("{v}: {e}"))
        .to_timestamp()
        .unwrap();
    (z, tz)
}

/// `TestActivation`: `Next(t - 1s) == t` exactly when `t` is an activation.
#[test]
fn activation() {
    let cases = [
        ("Mon Jul 9 15:00 2012", "0/15 * * * *", true),
        ("Mon Jul 9 15:45 2012", "0/15 * * * *", true),
        ("Mon Jul 9 15:40 2012", "0/15 * * * *", false),
        ("Mon Jul 9 15:05 2012", "5/15 * * * *", true),
        ("Mon Jul 9 15:20 2012", "5/15 * * * *", true),
        ("Mon Jul 9 15:50 2012", "5/15 * * * *", true),
        ("Sun Jul 15 15:00 2012", "0/15 * * Jul *", true),
        ("Sun Jul 15 15:00 2012", "0/15 * * Jun *", false),
        ("Sun Jul 15 08:30 2012", "30 08 ? Jul Sun", true),
        ("Sun Jul 15 08:30 2012", "30 08 15 Jul ?", true),
        ("Mon Jul 16 08:30 2012", "30 08 ? Jul Sun", false),
        ("Mon Jul 16 08:30 2012", "30 08 15 Jul ?", false),
        ("Mon Jul 9 15:00 2012", "@hourly", true),
        ("Mon Jul 9 15:04 2012", "@hourly", false),
        ("Mon Jul 9 15:00 2012", "@daily", false),
        ("Mon Jul 9 00:00 2012", "@daily", true),
        ("Mon Jul 9 00:00 2012", "@weekly", false),
        ("Sun Jul 8 00:00 2012", "@weekly", true),
        ("Sun Jul 8 01:00 2012", "@weekly", false),
        ("Sun Jul 8 00:00 2012", "@monthly", false),
        ("Sun Jul 1 00:00 2012", "@monthly", true),
        ("Sun Jul 15 00:00 2012", "* * 1,15 * Sun", true),
        ("Fri Jun 15 00:00 2012", "* * 1,15 * Sun", true),
        ("Wed Aug 1 00:00 2012", "* * 1,15 * Sun", true),
        ("Sun Jul 15 00:00 2012", "* * */10 * Sun", true),
        ("Sun Jul 15 00:00 2012", "* * * * Mon", false),
        ("Mon Jul 9 00:00 2012", "* * 1,15 * *", false),
        ("Sun Jul 15 00:00 2012", "* * 1,15 * *", true),
        ("Sun Jul 15 00:00 2012", "* * */2 * Sun", true),
    ];
    for (time, spec, want) in cases {
        let s = parse_standard(spec).unwrap();
        let (t, tz) = go_time(time);
        let got = s.next(t - SignedDuration::from_secs(1), &tz);
        assert_eq!(got == Some(t), want, "{spec} at {time}: {got:?}");
    }
}

/// `TestNext` (second parser), daylight-saving days in New York and São Paulo included.
// Long because: upstream's TestNext table, one vector per row as robfig writes them.
#[test]
fn next() {
    let cases = [
        (
            "Mon Jul 9 14:45 2012",
            "0 0/15 * * * *",
            "Mon Jul 9 15:00 2012",
        ),
        (
            "Mon Jul 9 14:59 2012",
            "0 0/15 * * * *",
            "Mon Jul 9 15:00 2012",
        ),
        (
            "Mon Jul 9 14:59:59 2012",
            "0 0/15 * * * *",
            "Mon Jul 9 15:00 2012",
        ),
        (
            "Mon Jul 9 15:45 2012",
            "0 20-35/15 * * * *",
            "Mon Jul 9 16:20 2012",
        ),
        (
            "Mon Jul 9 23:46 2012",
            "0 */15 * * * *",
            "Tue Jul 10 00:00 2012",
        ),
        (
            "Mon Jul 9 23:45 2012",
            "0 20-35/15 * * * *",
            "Tue Jul 10 00:20 2012",
        ),
        (
            "Mon Jul 9 23:35:51 2012",
            "15/35 20-35/15 * * * *",
            "Tue Jul 10 00:20:15 2012",
        ),
        (
            "Mon Jul 9 23:35:51 2012",
            "15/35 20-35/15 1/2 * * *",
            "Tue Jul 10 01:20:15 2012",
        ),
        (
            "Mon Jul 9 23:35:51 2012",
            "15/35 20-35/15 10-12 * * *",
            "Tue Jul 10 10:20:15 2012",
        ),
        (
            "Mon Jul 9 23:35:51 2012",
            "15/35 20-35/15 1/2 */2 * *",
            "Thu Jul 11 01:20:15 2012",
        ),
        (
            "Mon Jul 9 23:35:51 2012",
            "15/35 20-35/15 * 9-20 * *",
            "Wed Jul 10 00:20:15 2012",
        ),
        (
            "Mon Jul 9 23:35:51 2012",
            "15/35 20-35/15 * 9-20 Jul *",
            "Wed Jul 10 00:20:15 2012",
        ),
        (
            "Mon Jul 9 23:35 2012",
            "0 0 0 9 Apr-Oct ?",
            "Thu Aug 9 00:00 2012",
        ),
        (
            "Mon Jul 9 23:35 2012",
            "0 0 0 */5 Apr,Aug,Oct Mon",
            "Tue Aug 1 00:00 2012",
        ),
        (
            "Mon Jul 9 23:35 2012",
            "0 0 0 */5 Oct Mon",
            "Mon Oct 1 00:00 2012",
        ),
        (
            "Mon Jul 9 23:35 2012",
            "0 0 0 * Feb Mon",
            "Mon Feb 4 00:00 2013",
        ),
        (
            "Mon Jul 9 23:35 2012",
            "0 0 0 * Feb Mon/2",
            "Fri Feb 1 00:00 2013",
        ),
        (
            "Mon Dec 31 23:59:45 2012",
            "0 * * * * *",
            "Tue Jan 1 00:00:00 2013",
        ),
        (
            "Mon Jul 9 23:35 2012",
            "0 0 0 29 Feb ?",
            "Mon Feb 29 00:00 2016",
        ),
        (
            "2012-03-11T00:00:00-0500",
            "TZ=America/New_York 0 30 2 11 Mar ?",
            "2013-03-11T02:30:00-0400",
        ),
        (
            "2012-03-11T00:00:00-0500",
            "TZ=America/New_York 0 0 * * * ?",
            "2012-03-11T01:00:00-0500",
        ),
        (
            "2012-03-11T01:00:00-0500",
            "TZ=America/New_York 0 0 * * * ?",
            "2012-03-11T03:00:00-0400",
        ),
        (
            "2012-03-11T03:00:00-0400",
            "TZ=America/New_York 0 0 * * * ?",
            "2012-03-11T04:00:00-0400",
        ),
        (
            "2012-03-11T04:00:00-0400",
            "TZ=America/New_York 0 0 * * * ?",
            "2012-03-11T05:00:00-0400",
        ),
        (
            "2012-03-11T00:00:00-0500",
            "CRON_TZ=America/New_York 0 0 * * * ?",
            "2012-03-11T01:00:00-0500",
        ),
        (
            "2012-03-11T01:00:00-0500",
            "CRON_TZ=America/New_York 0 0 * * * ?",
            "2012-03-11T03:00:00-0400",
        ),
        (
            "2012-03-11T03:00:00-0400",
            "CRON_TZ=America/New_York 0 0 * * * ?",
            "2012-03-11T04:00:00-0400",
        ),
        (
            "2012-03-11T04:00:00-0400",
            "CRON_TZ=America/New_York 0 0 * * * ?",
            "2012-03-11T05:00:00-0400",
        ),
        (
            "2012-03-11T00:00:00-0500",
            "TZ=America/New_York 0 0 1 * * ?",
            "2012-03-11T01:00:00-0500",
        ),
        (
            "2012-03-11T01:00:00-0500",
            "TZ=America/New_York 0 0 1 * * ?",
            "2012-03-12T01:00:00-0400",
        ),
        (
            "2012-03-11T00:00:00-0500",
            "TZ=America/New_York 0 0 2 * * ?",
            "2012-03-12T02:00:00-0400",
        ),
        (
            "2012-11-04T00:00:00-0400",
            "TZ=America/New_York 0 30 2 04 Nov ?",
            "2012-11-04T02:30:00-0500",
        ),
        (
            "2012-11-04T01:45:00-0400",
            "TZ=America/New_York 0 30 1 04 Nov ?",
            "2012-11-04T01:30:00-0500",
        ),
        (
            "2012-11-04T00:00:00-0400",
            "TZ=America/New_York 0 0 * * * ?",
            "2012-11-04T01:00:00-0400",
        ),
        (
            "2012-11-04T01:00:00-0400",
            "TZ=America/New_York 0 0 * * * ?",
            "2012-11-04T01:00:00-0500",
        ),
        (
            "2012-11-04T01:00:00-0500",
            "TZ=America/New_York 0 0 * * * ?",
            "2012-11-04T02:00:00-0500",
        ),
        (
            "2012-11-04T00:00:00-0400",
            "TZ=America/New_York 0 0 1 * * ?",
            "2012-11-04T01:00:00-0400",
        ),
        (
            "2012-11-04T01:00:00-0400",
            "TZ=America/New_York 0 0 1 * * ?",
            "2012-11-04T01:00:00-0500",
        ),
        (
            "2012-11-04T01:00:00-0500",
            "TZ=America/New_York 0 0 1 * * ?",
            "2012-11-05T01:00:00-0500",
        ),
        (
            "2012-11-04T00:00:00-0400",
            "TZ=America/New_York 0 0 2 * * ?",
            "2012-11-04T02:00:00-0500",
        ),
        (
            "2012-11-04T02:00:00-0500",
            "TZ=America/New_York 0 0 2 * * ?",
            "2012-11-05T02:00:00-0500",
        ),
        (
            "2012-11-04T00:00:00-0400",
            "TZ=America/New_York 0 0 3 * * ?",
            "2012-11-04T03:00:00-0500",
        ),
        (
            "2012-11-04T03:00:00-0500",
            "TZ=America/New_York 0 0 3 * * ?",
            "2012-11-05T03:00:00-0500",
        ),
        (
            "TZ=America/New_York 2012-11-04T00:00:00-0400",
            "0 0 * * * ?",
            "2012-11-04T01:00:00-0400",
        ),
        (
            "TZ=America/New_York 2012-11-04T01:00:00-0400",
            "0 0 * * * ?",
            "2012-11-04T01:00:00-0500",
        ),
        (
            "TZ=America/New_York 2012-11-04T01:00:00-0500",
            "0 0 * * * ?",
            "2012-11-04T02:00:00-0500",
        ),
        (
            "TZ=America/New_York 2012-11-04T00:00:00-0400",
            "0 0 1 * * ?",
            "2012-11-04T01:00:00-0400",
        ),
        (
            "TZ=America/New_York 2012-11-04T01:00:00-0400",
            "0 0 1 * * ?",
            "2012-11-04T01:00:00-0500",
        ),
        (
            "TZ=America/New_York 2012-11-04T01:00:00-0500",
            "0 0 1 * * ?",
            "2012-11-05T01:00:00-0500",
        ),
        (
            "TZ=America/New_York 2012-11-04T00:00:00-0400",
            "0 0 2 * * ?",
            "2012-11-04T02:00:00-0500",
        ),
        (
            "TZ=America/New_York 2012-11-04T02:00:00-0500",
            "0 0 2 * * ?",
            "2012-11-05T02:00:00-0500",
        ),
        (
            "TZ=America/New_York 2012-11-04T00:00:00-0400",
            "0 0 3 * * ?",
            "2012-11-04T03:00:00-0500",
        ),
        (
            "TZ=America/New_York 2012-11-04T03:00:00-0500",
            "0 0 3 * * ?",
            "2012-11-05T03:00:00-0500",
        ),
        ("Mon Jul 9 23:35 2012", "0 0 0 30 Feb ?", ""),
        ("Mon Jul 9 23:35 2012", "0 0 0 31 Apr ?", ""),
        (
            "TZ=America/New_York 2012-11-04T00:00:00-0400",
            "0 0 3 3 * ?",
            "2012-12-03T03:00:00-0500",
        ),
        (
            "2018-10-17T05:00:00-0400",
            "TZ=America/Sao_Paulo 0 0 9 10 * ?",
            "2018-11-10T06:00:00-0500",
        ),
        (
            "2018-02-14T05:00:00-0500",
            "TZ=America/Sao_Paulo 0 0 9 22 * ?",
            "2018-02-22T07:00:00-0500",
        ),
    ];
    for (time, spec, want) in cases {
        let s = parse(spec, true).unwrap();
        let (t, tz) = go_time(time);
        let got = s.next(t, &tz);
        let want = (!want.is_empty()).then(|| go_time(want).0);
        assert_eq!(got, want, "{time} {spec:?}");
    }
}

/// `TestNextWithTz`: a schedule without a zone is read in the zone of the time given.
#[test]
fn next_in_the_zone_of_the_time_given() {
    let ist = TimeZone::fixed(Offset::from_seconds(5 * 3600 + 1800).unwrap());
    let at = |s: &str| go_time(s).0;
    for (time, spec, want) in [
        (
            "2016-01-03T13:09:03+0530",
            "14 14 * * *",
            "2016-01-03T14:14:00+0530",
        ),
        (
            "2016-01-03T04:09:03+0530",
            "14 14 * * ?",
            "2016-01-03T14:14:00+0530",
        ),
        (
            "2016-01-03T14:09:03+0530",
            "14 14 * * *",
            "2016-01-03T14:14:00+0530",
        ),
        (
            "2016-01-03T14:00:00+0530",
            "14 14 * * ?",
            "2016-01-03T14:14:00+0530",
        ),
    ] {
        let s = parse_standard(spec).unwrap();
        assert_eq!(s.next(at(time), &ist), Some(at(want)), "{time} {spec}");
    }
}

#[test]
fn every_counts_from_the_time_given() {
    let s = parse_standard("@every 1h30m").unwrap();
    let (t, tz) = go_time("Mon Jul 9 14:45 2012");
    assert_eq!(s.next(t, &tz), Some(go_time("Mon Jul 9 16:15 2012").0));
    assert_eq!(
        parse_standard("@every 500ms"),
        Ok(Schedule::Every(SignedDuration::from_secs(1)))
    );
}

#[test]
fn locations_as_go_loads_them() {
    assert_eq!(load_location("").unwrap(), TimeZone::UTC);
    assert!(load_location("Europe/Paris").is_ok());
    assert_eq!(
        load_location("europe/paris").unwrap_err(),
        "unknown time zone europe/paris"
    );
    assert_eq!(
        load_location("../etc/passwd").unwrap_err(),
        "time: invalid location name"
    );
}
