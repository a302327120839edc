//! Vectors from Go's text/template/parse/parse_test.go (`errorTests`, the `hasError` parse
//! tests), text/template/exec_test.go (the cases that apply to decoded JSON: maps, slices,
//! strings, numbers, builtins, control structures) and kubectl's printers/template_test.go;
//! the expected texts checked against kubectl 1.33 where kubectl can run them.

use super::Template;
use serde_json::{Value, json};

fn data() -> Value {
    json!({
        "True": true, "I": 17, "U16": 16, "X": "x", "FloatZero": 0.0, "F": 1.5,
        "MSI": {"one": 1, "two": 2, "three": 3},
        "MSIEmpty": {},
        "SI": [3, 4, 5], "SIEmpty": [], "SB": [true, false],
        "S": "xyz", "Empty": "", "Nil": null,
        "MSIone": {"one": 1},
        "secret": {"data": {"username": "aHVudGVy"}},
        "count": 1,
    })
}

fn run(t: &str) -> Result<String, String> {
    run_on(t, &data(), false)
}

fn run_on(t: &str, d: &Value, missing_error: bool) -> Result<String, String> {
    let tm = Template::parse("test", t)?;
    tm.execute(d, missing_error).map_err(|e| e.message)
}

fn ok(t: &str, want: &str) {
    assert_eq!(run(t), Ok(want.to_string()), "template {t}");
}

fn err_has(t: &str, part: &str) {
    match run(t) {
        Ok(o) => panic!("template {t}: want an error with {part:?}, got output {o:?}"),
        Err(e) => assert!(e.contains(part), "template {t}: error {e:?} lacks {part:?}"),
    }
}

#[test]
fn parse_error_tests() {
    // parse_test.go errorTests (the name is the template's name, as there).
    let cases = [
        ("unclosed1", "line1\n{{", "unclosed1:2: unclosed action"),
        (
            "unclosed2",
            "line1\n{{define `x`}}line2\n{{",
            "unclosed2:3: unclosed action",
        ),
        (
            "unclosed3",
            "line1\n{{\"x\"\n\"y\"\n",
            "unclosed3:4: unclosed action started at unclosed3:2",
        ),
        (
            "unclosed4",
            "{{\n\n\n\n\n",
            "unclosed4:6: unclosed action started at unclosed4:1",
        ),
        (
            "var1",
            "line1\n{{\nx\n}}",
            "var1:3: function \"x\" not defined",
        ),
        ("function", "{{foo}}", "function \"foo\" not defined"),
        ("comment1", "{{/*}}", "comment1:1: unclosed comment"),
        (
            "comment2",
            "{{/*\nhello\n}}",
            "comment2:1: unclosed comment",
        ),
        ("lparen", "{{.X (1 2 3}}", "unclosed left paren"),
        ("rparen", "{{.X 1 2 3 ) }}", "unexpected right paren"),
        ("rparen2", "{{(.X 1 2 3", "unclosed action"),
        ("space", "{{`x`3}}", "in operand"),
        ("idchar", "{{a#}}", "'#'"),
        ("charconst", "{{'a}}", "unterminated character constant"),
        ("stringconst", "{{\"a}}", "unterminated quoted string"),
        ("rawstringconst", "{{`a}}", "unterminated raw quoted string"),
        ("number", "{{0xi}}", "number syntax"),
        (
            "multidefine",
            "{{define `a`}}a{{end}}{{define `a`}}b{{end}}",
            "multiple definition of template",
        ),
        ("eof", "{{range .X}}", "unexpected EOF"),
        (
            "variable",
            "{{$x := 23}}{{with $x.y := 3}}{{$x 23}}{{end}}",
            "unexpected \":=\"",
        ),
        ("multidecl", "{{$a,$b,$c := 23}}", "too many declarations"),
        ("undefvar", "{{$a}}", "undefined variable"),
        ("wrongdot", "{{true.any}}", "unexpected . after term"),
        (
            "wrongpipeline",
            "{{12|false}}",
            "non executable command in pipeline",
        ),
        (
            "emptypipeline",
            "{{ ( ) }}",
            "missing value for parenthesized pipeline",
        ),
        (
            "multilinerawstring",
            "{{ $v := `\n` }} {{",
            "multilinerawstring:2: unclosed action",
        ),
        ("rangeundefvar", "{{range $k}}{{end}}", "undefined variable"),
        (
            "rangeundefvars",
            "{{range $k, $v}}{{end}}",
            "undefined variable",
        ),
        (
            "rangemissingvalue1",
            "{{range $k,}}{{end}}",
            "missing value for range",
        ),
        (
            "rangemissingvalue2",
            "{{range $k, $v := }}{{end}}",
            "missing value for range",
        ),
        (
            "rangenotvariable1",
            "{{range $k, .}}{{end}}",
            "range can only initialize variables",
        ),
        (
            "rangenotvariable2",
            "{{range $k, 123 := .}}{{end}}",
            "range can only initialize variables",
        ),
    ];
    for (name, input, part) in cases {
        match Template::parse(name, input) {
            Ok(_) => panic!("{name}: expected an error"),
            Err(e) => assert!(e.contains(part), "{name}: {e:?} lacks {part:?}"),
        }
    }
}

#[test]
fn parse_tests_with_errors() {
    // parse_test.go parseTests marked hasError (functions printf, as kubectl's set has it).
    for input in [
        "hello{{range",
        "{{end}}",
        "{{else}}",
        "{{if .X}}hello{{end}}{{else}}",
        "{{if .X}}1{{else}}2{{else}}3{{end}}",
        "hello{{range .x}}",
        "hello{{range .x}}{{else}}",
        "hello{{undefined}}",
        "{{$x}}",
        "{{with $x := 4}}{{end}}{{$x}}",
        "{{template $v}}",
        "{{with $x.Y := 4}}{{end}}",
        "{{template .X}}",
        "{{printf 3, 4}}",
        "{{with $v, $u := 3}}{{end}}",
        "{{range $u, $v, $w := 3}}{{end}}",
        "{{printf (printf .).}}",
        "{{printf 3`x`}}",
        "{{printf `x`.}}",
        "{{if .X}}a{{else if .Y}}b{{end}}{{end}}",
        "{{range .}}{{end}} {{break}}",
        "{{range .}}{{end}} {{continue}}",
        "{{range .}}{{else}}{{break}}{{end}}",
        "{{range .}}{{else}}{{continue}}{{end}}",
        "{{$x += 1}}{{$x}}",
        "{{$x ! 2}}{{$x}}",
        "{{$x % 3}}{{$x}}",
        "{{range $x := $y := 3}}{{end}}",
        "{{$x:=.}}{{$x!2}}",
        "{{$x:=.}}{{$x+2}}",
        "{{1.E}}",
        "{{0.1.E}}",
        "{{true.E}}",
        "{{'a'.any}}",
        "{{\"hello\".guys}}",
        "{{..E}}",
        "{{nil.E}}",
        "{{12|.}}",
        "{{.|12|printf}}",
        "{{.|printf|\"error\"}}",
        "{{12|printf|'e'}}",
        "{{.|true}}",
        "{{'c'|nil}}",
        "{{printf \"%d\" ( ) }}",
        "{{block \"foo\"}}hello{{end}}",
        "{{\n}}",
    ] {
        assert!(
            Template::parse("t", input).is_err(),
            "{input:?} should not parse"
        );
    }
    for input in [
        "{{$x := 0}}{{$x}}",
        "{{$x:=.}}{{$x +2}}",
        "{{range $x := 0}}{{$x}}{{end}}",
        "{{range $x = 0}}{{$x}}{{end}}",
        "{{ (( 1 )) }}",
        "{{ $x \n := \n 1 \n }}",
        "{{\n\"x\"\n|\nprintf\n}}",
        "{{/*\nhello\n*/}}",
        "{{-\n/*\nhello\n*/\n-}}",
        "{{range .SI}}{{.}}{{ continue }}{{end}}",
        "{{with .X}}X{{else with .Y}}Y{{else with .Z}}Z{{end}}",
    ] {
        assert!(
            Template::parse("t", input).is_ok(),
            "{input:?} should parse"
        );
    }
}

#[test]
fn parse_error_words() {
    // As kubectl 1.33 prints them (tests/differential's go templates section).
    let e = |t: &str| Template::parse("output", t).unwrap_err();
    assert_eq!(e("{{.a}"), "template: output:1: bad character U+007D '}'");
    assert_eq!(e("{{if}}"), "template: output:1: missing value for if");
    assert_eq!(
        e("{{range .data}}{{end}"),
        "template: output:1: bad character U+007D '}'"
    );
    assert_eq!(
        e("{{.x 1 }"),
        "template: output:1: unexpected \"}\" in operand"
    );
    assert_eq!(
        e("{{upper .x}}"),
        "template: output:1: function \"upper\" not defined"
    );
    assert_eq!(e("{{$x}}"), "template: output:1: undefined variable \"$x\"");
    assert_eq!(e("{{end}}"), "template: output:1: unexpected {{end}}");
    assert_eq!(
        e("{{break}}"),
        "template: output:1: {{break}} outside {{range}}"
    );
    assert_eq!(
        e("{{\"abc}}"),
        "template: output:1: unterminated quoted string"
    );
    assert_eq!(e("{{1a}}"), "template: output:1: bad number syntax: \"1a\"");
    assert_eq!(
        e("{{.x | 3}}"),
        "template: output:1: non executable command in pipeline stage 2"
    );
    assert_eq!(
        e("{{99999999999999999999}}"),
        "template: output:1: integer overflow: \"99999999999999999999\""
    );
}

#[test]
fn trim_markers() {
    // parse_test.go's trimming cases, executed.
    ok("x \r\n\t{{- 3}}", "x3");
    ok("{{3 -}}\n\n\ty", "3y");
    ok("x \r\n\t{{- 3 -}}\n\n\ty", "x3y");
    ok("x\n{{-  3   -}}\ny", "x3y");
    ok("x \r\n\t{{- /* hi */}}", "x");
    ok("{{/* hi */ -}}\n\n\ty", "y");
    ok("x \r\n\t{{- /* */ -}}\n\n\ty", "xy");
    ok("{{-3}}", "-3");
}

// Long because: exec_test.go's table, one case a line.
#[test]
fn exec_tests() {
    // exec_test.go's execTests over map data.
    ok("", "");
    ok("abc", "abc");
    ok("{{.True}}", "true");
    ok("{{.I}}", "17");
    ok("{{.X}}", "x");
    ok("{{.F}} {{.FloatZero}}", "1.5 0");
    ok("{{.MSI.one}}", "1");
    ok("{{.MSI.WRONG}}", "<no value>");
    ok("{{.MSIEmpty}}", "map[]");
    ok("{{.MSI}}", "map[one:1 three:3 two:2]");
    ok("{{.SI}}", "[3 4 5]");
    ok("{{.Nil}}", "<no value>");
    ok(
        "{{$}}",
        &super::fmt::sprint(&[super::fmt::Val::json(&data(), false)]),
    );
    ok("{{$x := .I}}{{$x}}", "17");
    ok("{{with $x := .I}}{{$x}}{{end}}", "17");
    ok("{{$x := 1}}{{with $x := .I}}{{$x}}{{end}}{{$x}}", "171");
    ok("{{$x := 1}}{{$x = 2}}{{$x}}", "2");
    ok("{{if true}}TRUE{{end}}", "TRUE");
    ok("{{if false}}TRUE{{else}}FALSE{{end}}", "FALSE");
    ok("{{if 1}}NON-ZERO{{else}}ZERO{{end}}", "NON-ZERO");
    ok("{{if 0}}NON-ZERO{{else}}ZERO{{end}}", "ZERO");
    ok("{{if 1.5}}NON-ZERO{{else}}ZERO{{end}}", "NON-ZERO");
    ok("{{if .FloatZero}}NON-ZERO{{else}}ZERO{{end}}", "ZERO");
    ok(
        "{{if `notempty`}}NON-EMPTY{{else}}EMPTY{{end}}",
        "NON-EMPTY",
    );
    ok("{{if ``}}NON-EMPTY{{else}}EMPTY{{end}}", "EMPTY");
    ok("{{if .SI}}NON-EMPTY{{else}}EMPTY{{end}}", "NON-EMPTY");
    ok("{{if .SIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}", "EMPTY");
    ok("{{if .MSI}}NON-EMPTY{{else}}EMPTY{{end}}", "NON-EMPTY");
    ok("{{if .MSIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}", "EMPTY");
    ok("{{if $x := true}}{{$x}}{{end}}", "true");
    ok("{{if false}}X{{else if true}}Y{{else}}Z{{end}}", "Y");
    ok("{{if false}}X{{else if false}}Y{{else}}Z{{end}}", "Z");
    ok("{{with true}}{{.}}{{end}}", "true");
    ok("{{with false}}{{.}}{{else}}FALSE{{end}}", "FALSE");
    ok("{{with \"\"}}{{.}}{{else}}EMPTY{{end}}", "EMPTY");
    ok("{{with .SIEmpty}}{{.}}{{else}}EMPTY{{end}}", "EMPTY");
    ok("{{with .MSI}}{{.one}}{{end}}", "1");
    ok("{{with $x := .I}}{{$x}}{{end}}", "17");
    ok("{{with false}}X{{else with .X}}{{.}}{{end}}", "x");
    ok("{{range .SI}}-{{.}}-{{end}}", "-3--4--5-");
    ok("{{range .SIEmpty}}-{{.}}-{{end}}", "");
    ok("{{range .SIEmpty}}-{{.}}-{{else}}EMPTY{{end}}", "EMPTY");
    ok("{{range .SB}}-{{.}}-{{end}}", "-true--false-");
    ok("{{range .MSI}}-{{.}}-{{end}}", "-1--3--2-");
    ok("{{range .MSIEmpty}}-{{.}}-{{end}}", "");
    ok("{{range .MSIEmpty}}-{{.}}-{{else}}EMPTY{{end}}", "EMPTY");
    ok("{{range $x := .SI}}<{{$x}}>{{end}}", "<3><4><5>");
    ok(
        "{{range $x, $y := .SI}}<{{$x}}={{$y}}>{{end}}",
        "<0=3><1=4><2=5>",
    );
    ok(
        "{{range $x, $y := .MSI}}<{{$x}}={{$y}}>{{end}}",
        "<one=1><three=3><two=2>",
    );
    ok(
        "{{range $x := .SI}}{{range $x := $.SI}}{{end}}{{$x}}{{end}}",
        "345",
    );
    ok(
        "{{range .SI}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}",
        "3",
    );
    ok(
        "{{range .SI}}{{if eq . 4}}{{continue}}{{end}}{{.}}{{end}}",
        "35",
    );
    ok("{{range 5}}{{.}}{{end}}", "01234");
    ok("{{range $i := 3}}{{$i}}{{end}}", "012");
    ok("{{range 0}}x{{else}}none{{end}}", "none");
    ok(
        "{{range .I}}{{if eq . 3}}{{break}}{{end}}{{.}}{{end}}",
        "012",
    );
    ok("{{range .Nil}}x{{else}}nil{{end}}", "nil");
    ok("{{$x := 0}}{{range .SI}}{{$x = .}}{{end}}{{$x}}", "5");
    ok("{{printf `%d` 1}}", "1");
    ok("{{printf `%s` .X}}", "x");
    ok("{{printf `%v %v` .I .F}}", "17 1.5");
    ok("{{printf `%s %v` \"x\" 1}}", "x 1");
    ok("{{.X | printf `%s`}}", "x");
    ok("{{printf `%s` .X | printf `%s`}}", "x");
    ok("{{printf `%d` (len .SI)}}", "3");
    ok("{{print \"hello, print\"}}", "hello, print");
    ok("{{print 1 2 3}}", "1 2 3");
    ok("{{print nil}}", "<nil>");
    ok("{{println 1 2 3}}", "1 2 3\n");
    ok(
        "{{html \"<script>alert(\\\"XSS\\\");</script>\"}}",
        "&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;",
    );
    ok(
        "{{printf \"<script>alert(\\\"XSS\\\");</script>\" | html}}",
        "&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;",
    );
    ok("{{html .I}}", "17");
    ok("{{js .}}", &super::exec::js_escape(&run("{{.}}").unwrap()));
    ok("{{js `It'd be nice.`}}", "It\\'d be nice.");
    ok(
        "{{urlquery \"http://www.example.org/\"}}",
        "http%3A%2F%2Fwww.example.org%2F",
    );
    ok(
        "{{not true}} {{not false}} {{not .SIEmpty}}",
        "false true true",
    );
    ok(
        "{{and false 0}} {{and 1 0}} {{and 0 true}} {{and 1 1}}",
        "false 0 0 1",
    );
    ok(
        "{{or 0 0}} {{or 1 0}} {{or 0 true}} {{or 1 1}}",
        "0 1 true 1",
    );
    ok("{{or 0 1 (index nil 0)}}", "1");
    ok("{{and 1 0 (index nil 0)}}", "0");
    ok("{{and 1 .Nil}}", "<no value>");
    ok(
        "{{len .SI}} {{len .MSI}} {{len .S}} {{len .Empty}}",
        "3 3 3 0",
    );
    ok(
        "{{index .SI 0}} {{index .SI 2}} {{index .MSI `one`}} {{index .MSI `XXX`}}",
        "3 5 1 <no value>",
    );
    ok("{{index .S 1}}", "121");
    ok(
        "{{slice .SI}} {{slice .SI 1}} {{slice .SI 1 2}} {{slice .SI 1 2 3}}",
        "[3 4 5] [4 5] [4] [4]",
    );
    ok("{{slice .S 1 2}} {{slice .S}}", "y xyz");
    ok(
        "{{eq 1 1}} {{eq 1 2}} {{eq 1.5 1.5}} {{eq `xy` `xy`}} {{eq true true}} {{eq .I 17}}",
        "true false true true true true",
    );
    ok(
        "{{eq 1 3 1}} {{eq 1 3 4}} {{ne 1 2}} {{ne `a` `a`}}",
        "true false true false",
    );
    ok(
        "{{lt 1 2}} {{lt 2 1}} {{le 1 1}} {{gt 2 1}} {{ge 1 2}} {{lt `a` `b`}} {{lt 1.5 2.5}}",
        "true false true true false true true",
    );
    ok(
        "{{eq .Nil nil}} {{eq .MSI.WRONG .Nil}} {{ne .Nil 1}}",
        "true true true",
    );
    ok("{{(.MSI).one}} {{(index .SI 1)}}", "1 4");
    ok(
        "{{\"x\"}} {{`y`}} {{'a'}} {{'\\n'}} {{0x10}} {{0o10}} {{0b10}} {{1_000}} {{1e3}} {{-2.5}}",
        "x y 97 10 16 8 2 1000 1000 -2.5",
    );
    ok(
        "{{define `x`}}X{{.}}{{end}}{{template `x` 1}}{{template `x`}}",
        "X1X<no value>",
    );
    ok("{{block `b` .X}}[{{.}}]{{end}}", "[x]");
    ok("{{/* comment */}}after", "after");
}

#[test]
fn exec_errors() {
    err_has("{{.X.Y}}", "can't evaluate field Y in type interface {}");
    err_has(
        "{{$x := .X}}{{$x.Y}}",
        "can't evaluate field Y in type string",
    );
    err_has("{{.Nil.Y}}", "nil pointer evaluating interface {}.Y");
    err_has("{{.MSI.one 1}}", "one is not a method but has arguments");
    err_has("{{range .X}}{{end}}", "range can't iterate over x");
    err_has(
        "{{range $a, $b := 3}}{{end}}",
        "can't use 3 to iterate over more than one variable",
    );
    err_has("{{template `nope`}}", "template \"nope\" not defined");
    err_has("{{nil}}", "nil is not a command");
    err_has("{{1 2}}", "can't give argument to non-function 1");
    err_has("{{len 3}}", "error calling len: len of type int");
    err_has("{{len .Nil}}", "error calling len: len of nil pointer");
    err_has("{{len 1 2}}", "wrong number of args for len: want 1 got 2");
    err_has(
        "{{printf}}",
        "wrong number of args for printf: want at least 1 got 0",
    );
    err_has("{{printf 3}}", "expected string; found 3");
    err_has(
        "{{printf .I}}",
        "wrong type for value; expected string; got int64",
    );
    err_has(
        "{{index .SI 10}}",
        "error calling index: index out of range: 10",
    );
    err_has(
        "{{index .SI 3}}",
        "error calling index: reflect: slice index out of range",
    );
    err_has(
        "{{index .SI `x`}}",
        "cannot index slice/array with type string",
    );
    err_has("{{index .MSI 1}}", "value has type int; should be string");
    err_has("{{index .I 1}}", "can't index item of type int64");
    err_has("{{index nil 1}}", "index of untyped nil");
    err_has("{{slice .SI 2 1}}", "invalid slice index: 2 > 1");
    err_has("{{slice .S 1 2 3}}", "cannot 3-index slice a string");
    err_has("{{slice .I}}", "can't slice item of type int64");
    err_has(
        "{{eq .X 1}}",
        "error calling eq: incompatible types for comparison",
    );
    err_has("{{eq 1}}", "missing argument for comparison");
    err_has("{{lt .MSI 1}}", "invalid type for comparison");
    err_has("{{lt true false}}", "invalid type for comparison");
    err_has("{{lt 1.5 2}}", "incompatible types for comparison");
    err_has(
        "{{eq .SI .SI}}",
        "non-comparable type [%!s(int64=3) %!s(int64=4) %!s(int64=5)]: []interface {}",
    );
    err_has(
        "{{call .X}}",
        "error calling call: non-function .X of type string",
    );
    err_has("{{call .Nil}}", "error calling call: call of nil");
}

#[test]
fn error_locations() {
    // Go's ErrorContext: the byte offset of the node on its line, the node's text.
    assert_eq!(
        run_on("{{.x.y}}", &data(), true),
        Err(
            "template: test:1:4: executing \"test\" at <.x.y>: map has no entry for key \"x\""
                .into()
        )
    );
    assert_eq!(
        run_on("line1\n  {{.MSI.nope}}", &data(), true),
        Err("template: test:2:8: executing \"test\" at <.MSI.nope>: map has no entry for key \"nope\"".into())
    );
    assert_eq!(
        run_on(
            "{{define `a`}}{{.q}}{{end}}{{template `a` .}}",
            &data(),
            true
        ),
        Err("template: test:1:16: executing \"a\" at <.q>: map has no entry for key \"q\"".into())
    );
    assert_eq!(
        run_on("{{(index . `nope`).a}}", &data(), true),
        // The node is the last one evaluated (the index's argument), as in Go.
        Err(
            "template: test:1:11: executing \"test\" at <`nope`>: nil data; no entry for key \"a\""
                .into()
        )
    );
    let partial = Template::parse("t", "ok {{.q}}")
        .unwrap()
        .execute(&data(), true)
        .unwrap_err();
    assert_eq!(partial.partial, "ok ");
}

#[test]
fn printf_verbs() {
    use super::fmt::{V, Val, sprintf};
    let v = |x: Value| Val::json(Box::leak(Box::new(x)), false);
    let f = |fmt: &str, args: Vec<Val<'static>>| sprintf(fmt, &args);
    assert_eq!(
        f("%d|%5d|%-5d|%05d|%+d|% d", vec![v(json!(42)); 6]),
        "42|   42|42   |00042|+42| 42"
    );
    assert_eq!(
        f(
            "%x|%X|%#x|%o|%#o|%O|%b|%c|%q|%U|%#U",
            vec![
                v(json!(255)),
                v(json!(255)),
                v(json!(255)),
                v(json!(8)),
                v(json!(8)),
                v(json!(8)),
                v(json!(5)),
                v(json!(65)),
                v(json!(65)),
                v(json!(65)),
                v(json!(65))
            ]
        ),
        "ff|FF|0xff|10|010|0o10|101|A|'A'|U+0041|U+0041 'A'"
    );
    assert_eq!(
        f(
            "%v|%.2f|%8.3f|%-8.1f|%e|%E|%g|%.3g|%G",
            vec![v(json!(4.25163)); 9]
        ),
        "4.25163|4.25|   4.252|4.3     |4.251630e+00|4.251630E+00|4.25163|4.25|4.25163"
    );
    assert_eq!(
        f(
            "%v %v %v %v",
            vec![
                v(json!(1e21)),
                v(json!(1e20)),
                v(json!(0.00001)),
                v(json!(1000000.0))
            ]
        ),
        "1e+21 1e+20 1e-05 1e+06"
    );
    assert_eq!(
        f(
            "%s|%q|%x|% X|%.2s|%5s|%-5s|%05s",
            vec![
                v(json!("héllo")),
                v(json!("a\"b\n")),
                v(json!("hi")),
                v(json!("hi")),
                v(json!("héllo")),
                v(json!("ab")),
                v(json!("ab")),
                v(json!("ab"))
            ]
        ),
        "héllo|\"a\\\"b\\n\"|6869|68 69|hé|   ab|ab   |000ab"
    );
    assert_eq!(
        f(
            "%t|%v|%5t",
            vec![v(json!(true)), v(json!(false)), v(json!(true))]
        ),
        "true|false| true"
    );
    assert_eq!(
        f("%v|%+v|%#v", vec![v(json!({"b": [1, null], "a": "x"})); 3]),
        "map[a:x b:[1 <nil>]]|map[a:x b:[1 <nil>]]|map[string]interface {}{\"a\":\"x\", \"b\":[]interface {}{1, interface {}(nil)}}"
    );
    assert_eq!(
        f(
            "%d|%s|%T|%T",
            vec![
                v(json!("x")),
                v(json!(3)),
                v(json!([1])),
                Val::new(V::Int(1))
            ]
        ),
        "%!d(string=x)|%!s(int64=3)|[]interface {}|int"
    );
    assert_eq!(f("%d %d", vec![v(json!(1))]), "1 %!d(MISSING)");
    assert_eq!(
        f("%d", vec![v(json!(1)), v(json!("a"))]),
        "1%!(EXTRA string=a)"
    );
    assert_eq!(f("100%%|%", vec![]), "100%|%!(NOVERB)");
    assert_eq!(
        f(
            "%*d|%-*d|",
            vec![
                Val::new(V::Int(4)),
                v(json!(7)),
                Val::new(V::Int(3)),
                v(json!(7))
            ]
        ),
        "   7|7  |"
    );
    assert_eq!(
        f("%v|%d", vec![Val::new(V::Invalid), Val::new(V::Nil)]),
        "<nil>|%!d(<nil>)"
    );
    assert_eq!(f("%s", vec![v(json!({"a": 1}))]), "map[a:%!s(int64=1)]");
}

#[test]
fn kubectl_template_test() {
    // cli-runtime printers/template_test.go TestTemplate.
    assert_eq!(
        run("{{ .secret.data.username | base64decode }}"),
        Ok("hunter".into())
    );
    let bad = json!({"apiVersion": "v1", "data": {"username": "--THIS IS NOT BASE64--"}, "kind": "Secret"});
    let e = run_on("{{ .data.username | base64decode }}", &bad, false).unwrap_err();
    assert!(e.contains("base64 decode"), "{e}");
    assert_eq!(run("{{ eq .count 1}}"), Ok("true".into()));
    // exists (template.go): index would find something non-nil.
    ok(
        "{{exists . `MSI` `one`}} {{exists . `MSI` `nope`}} {{exists . `SI` 2}} {{exists . `SI` 3}} {{exists . `Nil`}} {{exists . `X` `y`}}",
        "true false true false false false",
    );
}

#[test]
fn base64_errors_as_go() {
    // Offsets as Go's base64.StdEncoding.DecodeString reports them (checked with kubectl).
    let e = |s: &str| run(&format!("{{{{base64decode `{s}`}}}}")).unwrap_err();
    assert!(
        e("YQ").ends_with("illegal base64 data at input byte 0"),
        "{}",
        e("YQ")
    );
    assert!(e("YQ=").ends_with("illegal base64 data at input byte 3"));
    assert!(e("Y!==").ends_with("illegal base64 data at input byte 1"));
    ok(
        "{{base64decode `YQ==`}}{{base64decode ``}}{{base64decode `YWJj`}}",
        "aabc",
    );
}

#[test]
fn recursion_ends_in_gos_error() {
    // exec.go's maxExecDepth: a template that calls itself fails after 100,000 levels (the
    // walk runs on a big stack, as Go's grows).
    let r = super::render(
        "output",
        "{{define `a`}}{{template `a` .}}{{end}}{{template `a` .}}",
        &data(),
        false,
    )
    .expect("parses");
    let e = r.expect_err("fails");
    assert!(
        e.message
            .ends_with("exceeded maximum template depth (100000)"),
        "{}",
        e.message
    );
    let deep = format!("{{{{{}1{}}}}}", "(".repeat(20_000), ")".repeat(20_000));
    assert_eq!(
        super::render("output", &deep, &data(), false),
        Ok(Ok("1".into()))
    );
}
