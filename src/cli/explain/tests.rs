use super::*;
use crate::kinds::schema::Schema;

fn doc(definitions: &str) -> Schema {
    Schema::parse(&format!(
        r#"{{"kinds":[{{"group":"","version":"v1","kind":"Pod","definition":"io.k8s.api.core.v1.Pod"}}],"definitions":{definitions}}}"#
    ))
    .unwrap()
}

fn node(json: &str) -> Node {
    serde_json::from_str(json).unwrap()
}

// plaintext_test.go's typeGuess cases.
#[test]
fn type_guess_as_the_template() {
    let schema = doc(r#"{"v1.Time":{"type":"string","format":"date-time"},
        "io.k8s.x.v1.CustomResourceValidation":{"type":"object","properties":{"a":{"type":"string"}}},
        "io.k8s.x.IntOrString":{"description":"int or string"}}"#);
    let cases = [
        (r#"{"type":"string"}"#, "string"),
        (
            r#"{"description":"a cool field","$ref":"v1.Time"}"#,
            "string",
        ),
        (r#"{"type":"array"}"#, "array"),
        (r#"{"type":"object"}"#, "Object"),
        (r#"{"type":"array","items":{"type":"number"}}"#, "[]number"),
        (
            r#"{"type":"array","items":{"type":"object","allOf":[{"$ref":"io.k8s.x.v1.CustomResourceValidation"}]}}"#,
            "[]CustomResourceValidation",
        ),
        (
            r#"{"type":"array","items":{"$ref":"io.k8s.x.v1.CustomResourceValidation"}}"#,
            "[]CustomResourceValidation",
        ),
        (
            r#"{"type":"array","items":{"type":"object","additionalProperties":{"type":"string"}}}"#,
            "[]map[string]string",
        ),
        (
            r#"{"type":"object","additionalProperties":{"type":"array","items":{"type":"string"}}}"#,
            "map[string][]string",
        ),
        (
            r#"{"type":"object","additionalProperties":{"type":"string","allOf":[{"$ref":"io.k8s.x.v1.CustomResourceValidation"}]}}"#,
            "map[string]CustomResourceValidation",
        ),
        (r#"{"description":"a cool field"}"#, "Object"),
        (
            r#"{"allOf":[{"$ref":"io.k8s.x.IntOrString"}]}"#,
            "IntOrString",
        ),
    ];
    for (json, want) in cases {
        assert_eq!(v3::type_guess(&schema, &node(json)), want, "{json}");
    }
}

// plaintext_test.go's fieldDetail and extractEnum cases.
#[test]
fn field_detail_and_enums_as_the_template() {
    let schema = doc("{}");
    let parent = node(
        r#"{"type":"object","properties":{"thefield":{"type":"string","description":"a description that should be printed"}},"required":["thefield"]}"#,
    );
    let mut w = String::new();
    v3::field_detail(&schema, &parent, "thefield", true, 0, &mut w);
    assert_eq!(w, "thefield\t<string> -required-\n");
    w.clear();
    v3::field_detail(&schema, &parent, "thefield", false, 0, &mut w);
    assert_eq!(
        w,
        "thefield\t<string> -required-\n  a description that should be printed\n\n"
    );
    w.clear();
    v3::field_detail(&schema, &parent, "thefield", true, 5, &mut w);
    assert_eq!(w, "          thefield\t<string> -required-\n");

    let e = node(r#"{"type":"string","enum":[0,1,2,3]}"#);
    let enum_of = |long, limit, amount| {
        let mut w = String::new();
        v3::extract_enum(&e, long, limit, amount, &mut w);
        w
    };
    assert_eq!(enum_of(true, -1, 0), "ENUM:\n    0\n    1\n    2\n    3");
    assert_eq!(enum_of(false, -1, 2), "\n  enum: 0, 1, 2, 3");
    assert_eq!(enum_of(false, 2, 2), "\n  enum: 0, 1, ....");
    assert_eq!(enum_of(true, 2, 2), "ENUM:\n    0\n    1, ....");
    let mut w = String::new();
    v3::extract_enum(
        &node(r#"{"enum":["Block","File",""]}"#),
        true,
        -1,
        0,
        &mut w,
    );
    assert_eq!(w, "ENUM:\n    Block\n    File\n    \"\"");
    w.clear();
    v3::extract_enum(&node(r#"{"enum":[]}"#), true, -1, 0, &mut w);
    assert_eq!(w, "");
}

#[test]
fn descriptions_wrap_at_80_columns_with_the_field_indent() {
    let schema = doc("{}");
    let words = "word ".repeat(40);
    let parent = node(&format!(
        r#"{{"properties":{{"f":{{"type":"string","description":"{}"}}}}}}"#,
        words.trim()
    ));
    for level in [1, 2, 3] {
        let mut w = String::new();
        v3::field_detail(&schema, &parent, "f", false, level, &mut w);
        let lines: Vec<&str> = w.lines().skip(1).filter(|l| !l.is_empty()).collect();
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(l.len() <= 80, "{l:?}");
            assert!(l.starts_with(&" ".repeat(level * 2 + 2)));
        }
    }
}

#[test]
fn resource_and_field_paths_resolve_as_kubectl() {
    let (k, f) = split_with_matching_prefix("pods.spec.containers").unwrap();
    assert_eq!(
        (k.kind, f),
        ("Pod", vec!["spec".to_string(), "containers".into()])
    );
    let (k, f) = split_with_matching_prefix("deployments.apps.spec").unwrap();
    assert_eq!((k.kind, f), ("Deployment", vec!["spec".to_string()]));
    // Only the plural form takes the group: `deploy.apps` reads `apps` as a field.
    let (k, f) = split_with_matching_prefix("deploy.apps").unwrap();
    assert_eq!((k.kind, f), ("Deployment", vec!["apps".to_string()]));
    let (k, f) = split_with_matching_prefix("cj.spec.").unwrap();
    assert_eq!((k.kind, f), ("CronJob", vec!["spec".to_string()]));
    let (k, _) = split_with_matching_prefix("Pod").unwrap();
    assert_eq!(k.kind, "Pod");
    let err = split_with_matching_prefix("gizmos.spec").unwrap_err();
    assert_eq!(
        err.text,
        "error: the server doesn't have a resource type \"gizmos\""
    );
    let err = split_with_matching_prefix("pods[0]").unwrap_err();
    assert_eq!(
        err.text,
        "error: invalid jsonpath syntax, first node must be field node"
    );
    assert_eq!(
        parse_group_version("apps/v1").unwrap(),
        ("apps".to_string(), "v1".to_string())
    );
    assert_eq!(
        parse_group_version("a/b/c").unwrap_err().text,
        "error: unexpected GroupVersion string: a/b/c"
    );
}

fn render(kind: &str, fields: &[&str], recursive: bool) -> Result<String, String> {
    let k = crate::kinds::resolve(kind).unwrap();
    let fields: Vec<String> = fields.iter().map(|s| s.to_string()).collect();
    let gvr = Gvr {
        group: k.group,
        version: k.version,
        resource: k.plural,
    };
    let mut w = String::new();
    v3::render(
        kinds::schema::builtin(),
        k,
        &gvr,
        &fields,
        recursive,
        &mut w,
    )
    .map(|_| w)
}

#[test]
fn a_field_of_a_referenced_type_shows_both_descriptions() {
    let out = render("deployments", &["spec", "strategy"], false).unwrap();
    assert!(out.starts_with(
        "GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: strategy <DeploymentStrategy>\n\n\nDESCRIPTION:\n    The deployment strategy to use to replace existing pods with new ones.\n    DeploymentStrategy describes how to replace existing pods with new ones.\n    \nFIELDS:\n  rollingUpdate\t<RollingUpdateDeployment>\n"
    ), "{out}");
    assert!(
        out.ends_with("Default is\n    RollingUpdate.\n\n\n"),
        "{out}"
    );
}

#[test]
fn recursive_lists_nested_fields_two_spaces_a_level() {
    let out = render("deployments", &["spec", "strategy"], true).unwrap();
    assert!(out.ends_with(
        "FIELDS:\n  rollingUpdate\t<RollingUpdateDeployment>\n    maxSurge\t<IntOrString>\n    maxUnavailable\t<IntOrString>\n  type\t<string>\n\n"
    ), "{out}");
}

#[test]
fn a_missing_field_is_an_error_after_the_header() {
    let mut w = String::new();
    let k = crate::kinds::resolve("pods").unwrap();
    let gvr = Gvr {
        group: "",
        version: "v1",
        resource: "pods",
    };
    let err = v3::render(
        kinds::schema::builtin(),
        k,
        &gvr,
        &["spec".into(), "foo".into()],
        false,
        &mut w,
    )
    .unwrap_err();
    assert_eq!(err, "error: field \"foo\" does not exist");
    assert_eq!(w, "KIND:       Pod\nVERSION:    v1\n\n");
}

#[test]
fn v2_type_names_and_layout() {
    let schema = kinds::schema::builtin();
    let pod = schema.kind("", "v1", "Pod").unwrap();
    let spec = schema.object_of(&pod.properties["spec"]);
    assert_eq!(
        v2::type_name(schema, &spec.properties["containers"]),
        "[]Object"
    );
    assert_eq!(
        v2::type_name(schema, &spec.properties["nodeSelector"]),
        "map[string]string"
    );
    assert_eq!(
        v2::type_name(schema, &spec.properties["overhead"]),
        "map[string]string"
    );
    assert_eq!(v2::type_name(schema, &pod.properties["metadata"]), "Object");
    let k = crate::kinds::resolve("pods").unwrap();
    let mut w = String::new();
    v2::render(
        schema,
        k,
        "",
        "v1",
        &["spec".into(), "restartPolicy".into()],
        false,
        &mut w,
    )
    .unwrap();
    assert!(w.starts_with("KIND:     Pod\nVERSION:  v1\n\nFIELD:    restartPolicy <string>\n\nDESCRIPTION:\n     Restart policy"), "{w}");
}

#[test]
fn a_served_kind_without_a_schema_is_a_clear_error() {
    let schema = doc("{}");
    let deploy = crate::kinds::resolve("deployments").unwrap();
    assert_eq!(
        has_schema(&schema, deploy).unwrap_err().text,
        "error: kubesim carries no API schema for Deployment (apps/v1); tools/explain_schema.py lists the kinds it keeps"
    );
    assert!(has_schema(kinds::schema::builtin(), deploy).is_ok());
}
