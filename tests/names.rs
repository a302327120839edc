//! Generated names stay put: each purpose draws from its own source (`util::names`), so an
//! unrelated object, or a rejected request, does not rename later objects.

use crate::common::Sim;
use std::collections::BTreeMap;
use std::path::Path;

fn out(sim: &Sim, args: &[&str], stdin: Option<&str>) -> String {
    let o = sim.run(args, stdin);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).to_string()
}

#[test]
fn an_unrelated_pod_and_its_events_do_not_rename_a_controllers_pods() {
    let quiet = Sim::new("names-quiet");
    let noisy = Sim::new("names-noisy");
    // The noisy state has another pod (a uid, Events with theirs, a pod in another namespace).
    out(&noisy, &["run", "other", "--image=nginx"], None);
    out(&noisy, &["create", "namespace", "team"], None);
    out(&noisy, &["run", "web", "-n", "team", "--image=nginx"], None);
    let pods = |sim: &Sim| {
        out(sim, &["apply", "-f", "testdata/nginx-rc.yaml"], None);
        out(sim, &["get", "pods", "-l", "app=nginx", "-o", "name"], None)
    };
    let (a, b) = (pods(&quiet), pods(&noisy));
    assert_eq!(a.lines().count(), 2, "{a}");
    assert_eq!(a, b);
}

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut m = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n != "lock") {
                m.insert(p.display().to_string(), std::fs::read(&p).unwrap());
            }
        }
    }
    m
}

#[test]
fn a_rejected_generate_name_create_draws_nothing() {
    let sim = Sim::new("names-rejected");
    out(&sim, &["get", "nodes"], None);
    let before = snapshot(&sim.state());
    let bad = "apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: web-\nspec:\n  \
               restartPolicy: Sometimes\n  containers:\n  - name: c\n    image: nginx\n";
    let o = sim.run(&["create", "-f", "-"], Some(bad));
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        snapshot(&sim.state()),
        before,
        "the rejected create changed the state"
    );
    // And the next good create gets the name a fresh state would give.
    let good = bad.replace("Sometimes", "Always");
    let fresh = Sim::new("names-rejected-fresh");
    out(&fresh, &["get", "nodes"], None);
    assert_eq!(
        out(&sim, &["create", "-f", "-"], Some(&good)),
        out(&fresh, &["create", "-f", "-"], Some(&good))
    );
}
