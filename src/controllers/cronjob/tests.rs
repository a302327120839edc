//! utils_test.go's `TestMostRecentScheduleTime` and `TestNextScheduleTime`, and
//! cronjob_controllerv2_test.go's rules for one sync.

use super::*;
use k8s_openapi::api::batch::v1::{CronJobSpec, JobCondition, JobStatus, JobTemplateSpec};
use k8s_openapi::api::core::v1::ObjectReference;

/// 2016-05-19T10:00:00Z, a Thursday (upstream's `topOfTheHour`).
fn t0() -> Timestamp {
    "2016-05-19T10:00:00Z".parse().unwrap()
}

fn at(secs: i64) -> Timestamp {
    t0() + SignedDuration::from_secs(secs)
}

const M: i64 = 60;
const H: i64 = 3600;
const D: i64 = 86400;

fn timing(created: i64, last: Option<i64>, deadline: Option<i64>) -> Timing {
    Timing {
        created: at(created),
        last_schedule: last.map(at),
        starting_deadline: deadline,
    }
}

/// `TestMostRecentScheduleTime`.
#[test]
fn most_recent_schedule_times() {
    struct Case {
        schedule: &'static str,
        t: Timing,
        include_deadline: bool,
        now: i64,
        earliest: i64,
        want: Option<i64>,
        missed: Missed,
        err: bool,
    }
    let c = |schedule, t, include_deadline, now, earliest, want, missed, err| Case {
        schedule,
        t,
        include_deadline,
        now,
        earliest,
        want,
        missed,
        err,
    };
    let (zero, few, many) = (Missed::None, Missed::Few, Missed::Many);
    let cases = [
        c(
            "0 * * * *",
            timing(0, None, None),
            false,
            30,
            0,
            None,
            zero,
            false,
        ),
        c(
            "0 * * * *",
            timing(0, None, None),
            false,
            61 * M,
            0,
            Some(60 * M),
            zero,
            false,
        ),
        c(
            "0 * * * *",
            timing(10, None, None),
            false,
            301 * M,
            10,
            Some(300 * M),
            few,
            false,
        ),
        c(
            "30 6-16/4 * * 1-5",
            timing(0, Some(30 * M), None),
            false,
            24 * H + 31 * M,
            30 * M,
            Some(24 * H + 30 * M),
            few,
            false,
        ),
        // The rough count of missed times jumps past Friday's 12:30 (upstream's own vector).
        c(
            "30 10,11,12 * * 1-5",
            timing(0, Some(30 * M), None),
            false,
            30 * H + 30 * M,
            30 * M,
            None,
            few,
            false,
        ),
        c(
            "30 6-16/4 * * 1-5",
            timing(0, Some(30 * M), None),
            false,
            96 * H + 31 * M,
            30 * M,
            Some(96 * H + 30 * M),
            few,
            false,
        ),
        c(
            "@every 1h",
            timing(-59 * M, Some(M), Some(10)),
            false,
            7 * D,
            M,
            Some(6 * D + 23 * H + M),
            many,
            false,
        ),
        c(
            "59 23 31 2 *",
            timing(10, None, None),
            false,
            H,
            10,
            None,
            zero,
            true,
        ),
        c(
            "*/5 * * * *",
            timing(0, Some(30 * M), Some(60)),
            true,
            32 * M,
            31 * M,
            None,
            zero,
            false,
        ),
    ];
    for (i, k) in cases.iter().enumerate() {
        let sched = parse_standard(k.schedule).unwrap();
        let got = most_recent_schedule_time(&k.t, at(k.now), &sched, k.include_deadline);
        assert_eq!(got.earliest, at(k.earliest), "case {i} {}", k.schedule);
        assert_eq!(got.time, k.want.map(at), "case {i} {}", k.schedule);
        assert_eq!(got.err.is_some(), k.err, "case {i} {}", k.schedule);
        if !k.err {
            // Upstream checks the missed kind only where it matters to the controller.
            if k.missed == Missed::Many {
                assert_eq!(got.missed, Missed::Many, "case {i}");
            } else {
                assert_ne!(got.missed, Missed::Many, "case {i}");
            }
        }
    }
}

/// `TestNextScheduleTime` (`0 * * * ?`, T1 = 10:00, T2 = 11:00).
#[test]
fn next_schedule_times() {
    let sched = parse_standard("0 * * * ?").unwrap();
    let (t1, t2) = (0, H);
    let run = |t: Timing, now: i64| next_schedule_time(&t, at(now), &sched);
    assert_eq!(
        run(timing(t1 - 10 * M, None, None), t1 - 7 * M),
        (None, false, None)
    );
    assert_eq!(
        run(timing(t1 - 10 * M, None, None), t1 + 2),
        (Some(at(t1)), false, None)
    );
    assert_eq!(
        run(timing(t1 - 10 * M, Some(t1), None), t1 + 2 * M),
        (None, false, None)
    );
    assert_eq!(
        run(timing(t1 - 10 * M, Some(t1), None), t2 + 5 * M),
        (Some(at(t2)), false, None)
    );
    assert_eq!(
        run(timing(t1 - 2 * H, Some(t1 - H), None), t2 + 5 * M),
        (Some(at(t2)), false, None)
    );
    let (t, many, err) = run(timing(t1 - 2 * H, Some(t1 - H), None), t2 + 10 * D);
    assert!(t.is_some() && many && err.is_none(), "too many missed");
    let (t, many, _) = run(timing(t1 - 2 * H, Some(t1 - H), Some(2 * H)), t2 + 10 * D);
    assert!(
        t.is_some() && !many,
        "a starting deadline bounds the misses"
    );
    let never = parse_standard("59 23 31 2 *").unwrap();
    let (t, _, err) = next_schedule_time(&timing(t1 - 10 * M, None, None), at(t1 + 2), &never);
    assert!(t.is_none() && err.is_some());
}

/// The requeue lands 100 ms after the next scheduled time.
#[test]
fn requeue_after_the_next_schedule() {
    let sched = parse_standard("*/1 * * * *").unwrap();
    let t = timing(0, Some(0), None);
    assert_eq!(
        next_schedule_time_duration(&t, at(5), &sched),
        Some(SignedDuration::from_millis(55_100))
    );
    let daily = parse_standard("@daily").unwrap();
    assert_eq!(
        next_schedule_time_duration(&timing(0, None, None), at(0), &daily),
        Some(SignedDuration::from_millis(14 * H * 1000 + 100))
    );
}

fn cronjob(schedule: &str, f: impl FnOnce(&mut CronJobSpec)) -> CronJob {
    let mut spec = CronJobSpec {
        schedule: schedule.into(),
        concurrency_policy: Some("Allow".into()),
        successful_jobs_history_limit: Some(3),
        failed_jobs_history_limit: Some(1),
        job_template: JobTemplateSpec {
            metadata: Some(ObjectMeta {
                labels: Some([("app".to_string(), "hello".to_string())].into()),
                ..Default::default()
            }),
            spec: Some(Default::default()),
        },
        ..Default::default()
    };
    f(&mut spec);
    CronJob {
        metadata: ObjectMeta {
            name: Some("hello".into()),
            namespace: Some("default".into()),
            uid: Some("cj-uid".into()),
            creation_timestamp: Some(Time(t0())),
            ..Default::default()
        },
        spec: Some(spec),
        status: Some(CronJobStatus::default()),
    }
}

fn job(minute: i64, finished: Option<&str>) -> Job {
    let name = job_name("hello", at(minute * M));
    let status = JobStatus {
        start_time: Some(Time(at(minute * M + 1))),
        completion_time: (finished == Some("Complete")).then(|| Time(at(minute * M + 9))),
        conditions: finished.map(|f| {
            vec![JobCondition {
                type_: f.into(),
                status: "True".into(),
                ..Default::default()
            }]
        }),
        ..Default::default()
    };
    Job {
        metadata: ObjectMeta {
            uid: Some(format!("uid-{name}")),
            name: Some(name),
            ..Default::default()
        },
        spec: None,
        status: Some(status),
    }
}

fn active(cj: &mut CronJob, jobs: &[&Job]) {
    let st = cj.status.get_or_insert_with(Default::default);
    st.active = Some(
        jobs.iter()
            .map(|j| ObjectReference {
                name: j.metadata.name.clone(),
                uid: j.metadata.uid.clone(),
                ..Default::default()
            })
            .collect(),
    );
}

fn events(p: &Plan) -> Vec<String> {
    p.steps
        .iter()
        .map(|s| match s {
            Step::Event {
                warning,
                reason,
                message,
            } => format!(
                "{} {reason} {message}",
                if *warning { "Warning" } else { "Normal" }
            ),
            Step::DeleteJob(n) => format!("delete {n}"),
        })
        .collect()
}

const EXISTS: &dyn Fn(&str) -> bool = &|_| true;

#[test]
fn a_due_schedule_creates_its_job_named_by_the_minute() {
    let cj = cronjob("*/1 * * * *", |_| {});
    let p = sync(&cj, &[], at(60), EXISTS);
    let (j, t) = p.create.clone().expect("a job");
    assert_eq!(t, at(60));
    // 2016-05-19T10:01Z is 24,394,201 minutes after the epoch.
    assert_eq!(j.metadata.name.as_deref(), Some("hello-24394201"));
    let ann = j.metadata.annotations.unwrap();
    assert_eq!(ann[SCHEDULED_TIMESTAMP_ANNOTATION], "2016-05-19T10:01:00Z");
    assert_eq!(j.metadata.labels.unwrap()["app"], "hello");
    let owner = &j.metadata.owner_references.unwrap()[0];
    assert_eq!(
        (owner.kind.as_str(), owner.uid.as_str()),
        ("CronJob", "cj-uid")
    );
    assert_eq!(owner.controller, Some(true));
    assert_eq!(p.requeue, Some(SignedDuration::from_millis(60_100)));
    assert!(events(&p).is_empty());
    // Not yet due: nothing but the requeue at the next minute.
    let p = sync(&cj, &[], at(30), EXISTS);
    assert!(p.create.is_none());
    assert_eq!(p.requeue, Some(SignedDuration::from_millis(30_100)));
}

#[test]
fn the_annotation_is_in_the_cronjobs_zone() {
    let cj = cronjob("0 9 * * *", |s| s.time_zone = Some("Europe/Paris".into()));
    // 09:00 in Paris (summer, +02:00) is 07:00Z.
    let now: Timestamp = "2016-05-20T07:00:05Z".parse().unwrap();
    let (j, t) = sync(&cj, &[], now, EXISTS).create.unwrap();
    assert_eq!(t, "2016-05-20T07:00:00Z".parse().unwrap());
    assert_eq!(
        j.metadata.annotations.unwrap()[SCHEDULED_TIMESTAMP_ANNOTATION],
        "2016-05-20T09:00:00+02:00"
    );
}

#[test]
fn a_finished_active_job_leaves_the_active_list() {
    let mut cj = cronjob("*/1 * * * *", |_| {});
    let j = job(1, Some("Complete"));
    active(&mut cj, &[&j]);
    cj.status.as_mut().unwrap().last_schedule_time = Some(Time(at(60)));
    let p = sync(&cj, std::slice::from_ref(&j), at(70), EXISTS);
    assert_eq!(
        events(&p),
        ["Normal SawCompletedJob Saw completed job: hello-24394201, status: Complete"]
    );
    assert!(p.update_status && p.status.active.as_ref().unwrap().is_empty());
    // lastSuccessfulTime comes on the next sync, once it is no longer active.
    assert!(p.status.last_successful_time.is_none());
    let mut cj2 = cj.clone();
    cj2.status = Some(p.status);
    let p = sync(&cj2, &[j], at(80), EXISTS);
    assert_eq!(p.status.last_successful_time, Some(Time(at(69))));
}

#[test]
fn history_limits_delete_the_oldest_finished_jobs() {
    let cj = cronjob("*/1 * * * *", |s| s.failed_jobs_history_limit = Some(1));
    let jobs = [
        job(1, Some("Complete")),
        job(2, Some("Complete")),
        job(3, Some("Failed")),
        job(4, Some("Complete")),
        job(5, Some("Failed")),
        job(6, Some("Complete")),
        job(7, None),
    ];
    let mut cj = cj;
    active(&mut cj, &[&jobs[6]]);
    cj.status.as_mut().unwrap().last_schedule_time = Some(Time(at(7 * M)));
    let p = sync(&cj, &jobs, at(7 * M + 30), EXISTS);
    assert_eq!(
        events(&p)[..2],
        [
            "delete hello-24394201".to_string(),
            "delete hello-24394203".to_string()
        ]
    );
    let zero = cronjob("*/1 * * * *", |s| {
        s.successful_jobs_history_limit = Some(0);
        s.failed_jobs_history_limit = None;
    });
    let p = sync(&zero, &jobs[..2], at(7 * M + 30), EXISTS);
    assert_eq!(
        events(&p)[..2],
        ["delete hello-24394201", "delete hello-24394202"]
    );
}

#[test]
fn concurrency_policies() {
    let running = job(1, None);
    let mut forbid = cronjob("*/1 * * * *", |s| {
        s.concurrency_policy = Some("Forbid".into())
    });
    active(&mut forbid, &[&running]);
    forbid.status.as_mut().unwrap().last_schedule_time = Some(Time(at(60)));
    let p = sync(&forbid, std::slice::from_ref(&running), at(120), EXISTS);
    assert!(p.create.is_none());
    assert_eq!(
        events(&p),
        [
            "Normal JobAlreadyActive Not starting job because prior execution is running and concurrency policy is Forbid"
        ]
    );
    assert_eq!(
        p.requeue,
        Some(SignedDuration::from_millis(60_100)),
        "the 10:02 slot is skipped: next 10:03"
    );
    let mut replace = forbid.clone();
    replace.spec.as_mut().unwrap().concurrency_policy = Some("Replace".into());
    let p = sync(&replace, std::slice::from_ref(&running), at(120), EXISTS);
    assert_eq!(events(&p), ["delete hello-24394201"]);
    assert!(p.status.active.as_ref().unwrap().is_empty());
    assert_eq!(p.create.unwrap().1, at(120));
    let mut allow = forbid.clone();
    allow.spec.as_mut().unwrap().concurrency_policy = Some("Allow".into());
    let p = sync(&allow, std::slice::from_ref(&running), at(120), EXISTS);
    assert!(events(&p).is_empty() && p.create.is_some());
}

#[test]
fn missed_starts_run_only_the_latest() {
    let mut cj = cronjob("*/1 * * * *", |_| {});
    cj.status.as_mut().unwrap().last_schedule_time = Some(Time(at(60)));
    // 30 minutes idle: the 10:31 run only, no warning.
    let p = sync(&cj, &[], at(31 * M + 20), EXISTS);
    assert_eq!(p.create.as_ref().unwrap().1, at(31 * M));
    assert!(events(&p).is_empty());
    // Three hours idle: more than 100 missed, the warning, and still the latest run.
    let p = sync(&cj, &[], at(3 * H + 20), EXISTS);
    assert_eq!(p.create.as_ref().unwrap().1, at(3 * H));
    assert_eq!(
        events(&p),
        [
            "Warning TooManyMissedTimes too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew"
        ]
    );
    // With a starting deadline, a start later than it is missed, not run.
    let late = cronjob("0 * * * *", |s| s.starting_deadline_seconds = Some(10));
    let p = sync(&late, &[], at(H + 11), EXISTS);
    assert!(p.create.is_none());
    let p = sync(&late, &[], at(H + 9), EXISTS);
    assert_eq!(p.create.unwrap().1, at(H));
}

#[test]
fn a_start_within_the_deadline_runs() {
    // The deadline clamps `earliest` before the due time is chosen, so a time it finds is
    // never later than the deadline (MissSchedule is out of reach in v2): 10:00 at 10:00:20
    // with 30 s runs.
    let cj = cronjob("0 * * * *", |s| s.starting_deadline_seconds = Some(30));
    let mut cj = cj;
    cj.metadata.creation_timestamp = Some(Time(at(-H)));
    let p = sync(&cj, &[], at(20), EXISTS);
    assert!(p.create.is_some());
}

#[test]
fn suspended_bad_zone_and_unparseable_schedules_stop_without_requeue() {
    let s = cronjob("*/1 * * * *", |s| s.suspend = Some(true));
    let p = sync(&s, &[], at(120), EXISTS);
    assert!(p.create.is_none() && p.requeue.is_none() && events(&p).is_empty());
    let z = cronjob("*/1 * * * *", |s| s.time_zone = Some("Mars/Olympus".into()));
    let p = sync(&z, &[], at(120), EXISTS);
    assert_eq!(
        events(&p),
        [
            "Warning UnknownTimeZone invalid timeZone: \"Mars/Olympus\": unknown time zone Mars/Olympus"
        ]
    );
    let never = cronjob("59 23 31 2 *", |_| {});
    let p = sync(&never, &[], at(120), EXISTS);
    assert_eq!(
        events(&p),
        [
            "Warning InvalidSchedule invalid schedule: 59 23 31 2 * : time difference between two schedules is less than 1 second"
        ]
    );
}

#[test]
fn active_jobs_that_are_gone_are_dropped() {
    let mut cj = cronjob("*/1 * * * *", |_| {});
    let j = job(1, None);
    active(&mut cj, &[&j]);
    cj.status.as_mut().unwrap().last_schedule_time = Some(Time(at(60)));
    let p = sync(&cj, &[], at(70), &|_| false);
    assert_eq!(
        events(&p),
        ["Normal MissingJob Active job went missing: hello-24394201"]
    );
    assert!(p.status.active.unwrap().is_empty());
    // An unfinished job it does not know of.
    let mut cj = cronjob("*/1 * * * *", |_| {});
    cj.status.as_mut().unwrap().last_schedule_time = Some(Time(at(60)));
    let p = sync(&cj, &[j], at(70), EXISTS);
    assert_eq!(
        events(&p),
        [
            "Warning UnexpectedJob Saw a job that the controller did not create or forgot: hello-24394201"
        ]
    );
}
