//! Go's text/template exec.go and funcs.go over decoded JSON: the walk, pipelines,
//! variables, field chains on maps (`missingkey=default|error`), range in Go's order (map
//! keys sorted), `template`/`block`, the builtins with Go's errors, and kubectl's `exists`
//! and `base64decode`.

use super::fmt::{V, Val, quote, sprint, sprintf, sprintln};
use super::parse::{Arg, Cmd, Node, Pipe, Trees};
use std::borrow::Cow;

/// Where execution is (`state.node`), for the error's `output:1:4` and `<.x.y>`.
#[derive(Clone, Copy)]
enum At<'t> {
    Node(&'t Node),
    Pipe(&'t Pipe),
    Cmd(&'t Cmd),
    Arg(&'t Arg),
}

pub enum Flow {
    Break,
    Continue,
    Err(String),
}

type R<T> = Result<T, Flow>;

/// A parameter's type in a builtin's signature.
#[derive(Clone, Copy, PartialEq)]
enum P {
    /// `reflect.Value`
    Value,
    /// `interface {}`
    Any,
    /// `string`
    Str,
}

struct Sig {
    fixed: &'static [P],
    variadic: Option<P>,
}

fn signature(name: &str) -> Option<Sig> {
    use P::*;
    let s = |fixed: &'static [P], variadic: Option<P>| Some(Sig { fixed, variadic });
    match name {
        "and" | "or" | "index" | "slice" | "call" | "eq" => s(&[Value], Some(Value)),
        "not" | "len" => s(&[Value], None),
        "ne" | "lt" | "le" | "gt" | "ge" => s(&[Value, Value], None),
        "print" | "println" | "html" | "js" | "urlquery" => s(&[], Some(Any)),
        "printf" => s(&[Str], Some(Any)),
        "exists" => s(&[Any], Some(Any)),
        "base64decode" => s(&[Str], None),
        _ => None,
    }
}

/// Whether `name` is a function of kubectl's template printer.
pub fn has_function(name: &str) -> bool {
    signature(name).is_some()
}

pub struct State<'t, 'a> {
    pub trees: &'t Trees,
    pub text: &'t str,
    pub parse_name: &'t str,
    pub name: String,
    pub missing_error: bool,
    pub out: String,
    vars: Vec<(String, Val<'a>)>,
    node: Option<At<'t>>,
    depth: usize,
}

fn at_pos(a: At) -> usize {
    match a {
        At::Node(n) => match n {
            Node::Action { pos, .. }
            | Node::Template { pos, .. }
            | Node::Break { pos }
            | Node::Continue { pos } => *pos,
            Node::If(b) | Node::Range(b) | Node::With(b) => b.pos,
            Node::Text(_) => 0,
        },
        At::Pipe(p) => p.pos,
        At::Cmd(c) => c.pos,
        At::Arg(a) => a.pos(),
    }
}

fn at_string(a: At) -> String {
    match a {
        At::Node(n) => n.to_string(),
        At::Pipe(p) => p.to_string(),
        At::Cmd(c) => c.to_string(),
        At::Arg(a) => a.to_string(),
    }
}

impl<'t, 'a> State<'t, 'a> {
    pub fn new(
        trees: &'t Trees,
        text: &'t str,
        parse_name: &'t str,
        missing_error: bool,
        dot: Val<'a>,
    ) -> Self {
        State {
            trees,
            text,
            parse_name,
            name: parse_name.to_string(),
            missing_error,
            out: String::new(),
            vars: vec![("$".into(), dot)],
            node: None,
            depth: 0,
        }
    }

    fn at(&mut self, a: At<'t>) {
        self.node = Some(a);
    }

    fn errorf<T>(&self, msg: impl std::fmt::Display) -> R<T> {
        let name = &self.name;
        Err(Flow::Err(match self.node {
            None => format!("template: {name}: {msg}"),
            Some(a) => {
                let pos = at_pos(a).min(self.text.len());
                let text = &self.text[..pos];
                let col = match text.rfind('\n') {
                    None => pos,
                    Some(i) => pos - (i + 1),
                };
                let line = 1 + text.matches('\n').count();
                format!(
                    "template: {}:{line}:{col}: executing {} at <{}>: {msg}",
                    self.parse_name,
                    quote(name),
                    at_string(a)
                )
            }
        }))
    }

    pub fn walk_list(&mut self, dot: &Val<'a>, list: &'t [Node]) -> R<()> {
        for n in list {
            self.walk(dot, n)?;
        }
        Ok(())
    }

    fn walk(&mut self, dot: &Val<'a>, node: &'t Node) -> R<()> {
        self.at(At::Node(node));
        match node {
            Node::Text(t) => self.out.push_str(t),
            Node::Action { pipe, .. } => {
                let val = self.eval_pipeline(dot, Some(pipe))?;
                if pipe.decl.is_empty() {
                    self.at(At::Node(node));
                    match val.v {
                        V::Invalid => self.out.push_str("<no value>"),
                        _ => {
                            let s = sprint(std::slice::from_ref(&val));
                            self.out.push_str(&s);
                        }
                    }
                }
            }
            Node::Break { .. } => return Err(Flow::Break),
            Node::Continue { .. } => return Err(Flow::Continue),
            Node::If(b) | Node::With(b) => {
                let mark = self.vars.len();
                let val = self.eval_pipeline(dot, Some(&b.pipe))?;
                let r = if truth(&val) {
                    if matches!(node, Node::With(_)) {
                        self.walk_list(&val, &b.list)
                    } else {
                        self.walk_list(dot, &b.list)
                    }
                } else if let Some(e) = &b.else_list {
                    self.walk_list(dot, e)
                } else {
                    Ok(())
                };
                self.vars.truncate(mark);
                r?;
            }
            Node::Range(b) => self.walk_range(dot, node, b)?,
            Node::Template { name, pipe, .. } => {
                let Some(tree) = self.trees.get(name) else {
                    return self.errorf(format!("template {} not defined", quote(name)));
                };
                if self.depth == 100_000 {
                    return self.errorf("exceeded maximum template depth (100000)");
                }
                let dot = self.eval_pipeline(dot, pipe.as_ref())?;
                let vars = std::mem::replace(&mut self.vars, vec![("$".into(), dot.clone())]);
                let saved = std::mem::replace(&mut self.name, name.clone());
                self.depth += 1;
                let r = self.walk_list(&dot, tree);
                self.depth -= 1;
                self.name = saved;
                self.vars = vars;
                r?;
            }
        }
        Ok(())
    }

    fn walk_range(&mut self, dot: &Val<'a>, node: &'t Node, b: &'t super::parse::Branch) -> R<()> {
        self.at(At::Node(node));
        let outer = self.vars.len();
        let val = self.eval_pipeline(dot, Some(&b.pipe))?.unbox();
        let mark = self.vars.len();
        let decl = &b.pipe.decl;
        let r = (|| -> R<bool> {
            let iterate = |s: &mut Self, index: Val<'a>, elem: Val<'a>| -> R<bool> {
                if !decl.is_empty() {
                    if b.pipe.is_assign {
                        let v = if decl.len() > 1 {
                            index.clone()
                        } else {
                            elem.clone()
                        };
                        s.set_var(&decl[0], v)?;
                    } else {
                        let n = s.vars.len();
                        s.vars[n - 1].1 = elem.clone();
                    }
                }
                if decl.len() > 1 {
                    if b.pipe.is_assign {
                        s.set_var(&decl[1], elem.clone())?;
                    } else {
                        let n = s.vars.len();
                        s.vars[n - 2].1 = index;
                    }
                }
                let r = s.walk_list(&elem, &b.list);
                s.vars.truncate(mark);
                match r {
                    Ok(()) | Err(Flow::Continue) => Ok(true),
                    Err(Flow::Break) => Ok(false),
                    Err(e) => Err(e),
                }
            };
            match &val.v {
                V::Int(n) | V::I64(n) => {
                    if decl.len() > 1 {
                        return self.errorf(format!(
                            "can't use {} to iterate over more than one variable",
                            sprint(std::slice::from_ref(&val))
                        ));
                    }
                    for i in 0..*n {
                        let e = match val.v {
                            V::Int(_) => V::Int(i),
                            _ => V::I64(i),
                        };
                        if !iterate(self, Val::invalid(), Val::new(e))? {
                            break;
                        }
                    }
                    Ok(*n > 0)
                }
                V::Arr(a) => {
                    for (i, x) in a.iter().enumerate() {
                        if !iterate(self, Val::new(V::Int(i as i64)), Val::json(x, true))? {
                            break;
                        }
                    }
                    Ok(!a.is_empty())
                }
                V::Map(m) => {
                    let mut keys: Vec<&String> = m.keys().collect();
                    keys.sort();
                    for k in &keys {
                        let key = Val::new(V::Str(Cow::Borrowed(k.as_str())));
                        if !iterate(self, key, Val::json(&m[*k], true))? {
                            break;
                        }
                    }
                    Ok(!keys.is_empty())
                }
                V::Invalid => Ok(false),
                _ => self.errorf(format!(
                    "range can't iterate over {}",
                    sprint(std::slice::from_ref(&val))
                )),
            }
        })();
        let ran = match r {
            Ok(ran) => ran,
            Err(e) => {
                self.vars.truncate(outer);
                return Err(e);
            }
        };
        let r = match (&b.else_list, ran) {
            (Some(e), false) => self.walk_list(dot, e),
            _ => Ok(()),
        };
        self.vars.truncate(outer);
        r
    }

    fn var_value(&self, name: &str) -> R<Val<'a>> {
        match self.vars.iter().rev().find(|(n, _)| n == name) {
            Some((_, v)) => Ok(v.clone()),
            None => self.errorf(format!("undefined variable: {name}")),
        }
    }

    fn set_var(&mut self, name: &str, v: Val<'a>) -> R<()> {
        match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
            Some(slot) => {
                slot.1 = v;
                Ok(())
            }
            None => self.errorf(format!("undefined variable: {name}")),
        }
    }

    fn eval_pipeline(&mut self, dot: &Val<'a>, pipe: Option<&'t Pipe>) -> R<Val<'a>> {
        let Some(pipe) = pipe else {
            return Ok(Val::invalid());
        };
        self.at(At::Pipe(pipe));
        let mut value: Option<Val<'a>> = None;
        for cmd in &pipe.cmds {
            let v = self.eval_command(dot, cmd, value.take())?;
            value = Some(if v.boxed { v.unbox() } else { v });
        }
        let value = value.unwrap_or_else(Val::invalid);
        for d in &pipe.decl {
            if pipe.is_assign {
                self.set_var(d, value.clone())?;
            } else {
                self.vars.push((d.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, args: &[Arg], fin: &Option<Val<'a>>) -> R<()> {
        if args.len() > 1 || fin.is_some() {
            return self.errorf(format!("can't give argument to non-function {}", args[0]));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &Val<'a>, cmd: &'t Cmd, fin: Option<Val<'a>>) -> R<Val<'a>> {
        let first = &cmd.args[0];
        match first {
            Arg::Field { idents, .. } => {
                self.at(At::Arg(first));
                return self.eval_field_chain(dot, dot.clone(), idents, Some(&cmd.args), fin);
            }
            Arg::Chain { .. } => return self.eval_chain(dot, first, Some(&cmd.args), fin),
            Arg::Ident { name, .. } => {
                self.at(At::Arg(first));
                return self.eval_call(dot, name, At::Cmd(cmd), Some(&cmd.args), fin);
            }
            Arg::Pipe { pipe, .. } => {
                self.not_a_function(&cmd.args, &fin)?;
                return self.eval_pipeline(dot, Some(pipe));
            }
            Arg::Variable { .. } => return self.eval_variable(dot, first, Some(&cmd.args), fin),
            _ => {}
        }
        self.at(At::Arg(first));
        self.not_a_function(&cmd.args, &fin)?;
        match first {
            Arg::Bool { val, .. } => Ok(Val::new(V::Bool(*val))),
            Arg::Dot { .. } => Ok(dot.clone()),
            Arg::Nil { .. } => self.errorf("nil is not a command"),
            Arg::Number { .. } => self.ideal_constant(first),
            Arg::Str { text, .. } => Ok(Val::new(V::Str(Cow::Owned(text.clone())))),
            _ => self.errorf(format!(
                "can't evaluate command {}",
                quote(&first.to_string())
            )),
        }
    }

    fn ideal_constant(&mut self, a: &'t Arg) -> R<Val<'a>> {
        self.at(At::Arg(a));
        let Arg::Number { num, .. } = a else {
            return Ok(Val::invalid());
        };
        let t = &num.text;
        let hex = t.len() > 2
            && t.starts_with('0')
            && t[1..].starts_with(['x', 'X'])
            && !t.contains(['p', 'P']);
        if let Some(f) = num.float
            && !hex
            && !t.starts_with('\'')
            && t.contains(['.', 'e', 'E', 'p', 'P'])
        {
            return Ok(Val::new(V::F64(f)));
        }
        if let Some(i) = num.int {
            return Ok(Val::new(V::Int(i)));
        }
        if num.uint.is_some() {
            return self.errorf(format!("{t} overflows int"));
        }
        Ok(Val::invalid())
    }

    fn eval_chain(
        &mut self,
        dot: &Val<'a>,
        chain: &'t Arg,
        args: Option<&'t [Arg]>,
        fin: Option<Val<'a>>,
    ) -> R<Val<'a>> {
        self.at(At::Arg(chain));
        let Arg::Chain { node, fields, .. } = chain else {
            return Ok(Val::invalid());
        };
        if let Arg::Nil { .. } = node.as_ref() {
            return self.errorf(format!("indirection through explicit nil in {chain}"));
        }
        let pipe = self.eval_arg(dot, None, node)?;
        self.eval_field_chain(dot, pipe, fields, args, fin)
    }

    fn eval_variable(
        &mut self,
        dot: &Val<'a>,
        var: &'t Arg,
        args: Option<&'t [Arg]>,
        fin: Option<Val<'a>>,
    ) -> R<Val<'a>> {
        self.at(At::Arg(var));
        let Arg::Variable { idents, .. } = var else {
            return Ok(Val::invalid());
        };
        let value = self.var_value(&idents[0])?;
        if idents.len() == 1 {
            self.not_a_function(args.unwrap_or(&[]), &fin)?;
            return Ok(value);
        }
        self.eval_field_chain(dot, value, &idents[1..], args, fin)
    }

    fn eval_field_chain(
        &mut self,
        _dot: &Val<'a>,
        mut receiver: Val<'a>,
        idents: &[String],
        args: Option<&[Arg]>,
        fin: Option<Val<'a>>,
    ) -> R<Val<'a>> {
        let n = idents.len();
        for id in &idents[..n - 1] {
            receiver = self.eval_field(id, None, &None, receiver)?;
        }
        self.eval_field(&idents[n - 1], args, &fin, receiver)
    }

    fn eval_field(
        &mut self,
        name: &str,
        args: Option<&[Arg]>,
        fin: &Option<Val<'a>>,
        receiver: Val<'a>,
    ) -> R<Val<'a>> {
        if !receiver.is_valid() {
            if self.missing_error {
                return self.errorf(format!("nil data; no entry for key {}", quote(name)));
            }
            return Ok(Val::invalid());
        }
        let typ = receiver.type_name();
        if let V::Nil = receiver.v {
            return self.errorf(format!("nil pointer evaluating {typ}.{name}"));
        }
        let has_args = args.is_some_and(|a| a.len() > 1) || fin.is_some();
        if let V::Map(m) = receiver.v {
            if has_args {
                return self.errorf(format!("{name} is not a method but has arguments"));
            }
            return match m.get(name) {
                Some(v) => Ok(Val::json(v, true)),
                None if self.missing_error => {
                    self.errorf(format!("map has no entry for key {}", quote(name)))
                }
                None => Ok(Val::invalid()),
            };
        }
        self.errorf(format!("can't evaluate field {name} in type {typ}"))
    }

    fn validate_type(&self, value: Val<'a>, typ: Option<P>) -> R<Val<'a>> {
        match typ {
            None | Some(P::Value) => Ok(value),
            Some(P::Any) => Ok(match value.v {
                V::Invalid => Val {
                    v: V::Nil,
                    boxed: true,
                },
                _ => value,
            }),
            Some(P::Str) => match value.v {
                V::Invalid => self.errorf("invalid value; expected string"),
                V::Str(_) => Ok(value.unbox()),
                _ => {
                    let got = if let V::Nil = value.v {
                        "interface {}"
                    } else {
                        value.v.type_name()
                    };
                    self.errorf(format!("wrong type for value; expected string; got {got}"))
                }
            },
        }
    }

    fn eval_arg(&mut self, dot: &Val<'a>, typ: Option<P>, n: &'t Arg) -> R<Val<'a>> {
        self.at(At::Arg(n));
        match n {
            Arg::Dot { .. } => return self.validate_type(dot.clone(), typ),
            Arg::Nil { .. } => {
                return match typ {
                    Some(P::Str) => self.errorf("cannot assign nil to string"),
                    Some(P::Any) => Ok(Val {
                        v: V::Nil,
                        boxed: true,
                    }),
                    _ => Ok(Val::invalid()),
                };
            }
            Arg::Field { idents, .. } => {
                let v = self.eval_field_chain(
                    dot,
                    dot.clone(),
                    idents,
                    Some(std::slice::from_ref(n)),
                    None,
                )?;
                return self.validate_type(v, typ);
            }
            Arg::Variable { .. } => {
                let v = self.eval_variable(dot, n, None, None)?;
                return self.validate_type(v, typ);
            }
            Arg::Pipe { pipe, .. } => {
                let v = self.eval_pipeline(dot, Some(pipe))?;
                return self.validate_type(v, typ);
            }
            Arg::Ident { name, .. } => {
                let v = self.eval_call(dot, name, At::Arg(n), None, None)?;
                return self.validate_type(v, typ);
            }
            Arg::Chain { .. } => {
                let v = self.eval_chain(dot, n, None, None)?;
                return self.validate_type(v, typ);
            }
            _ => {}
        }
        match typ {
            Some(P::Str) => match n {
                Arg::Str { text, .. } => Ok(Val::new(V::Str(Cow::Owned(text.clone())))),
                _ => self.errorf(format!("expected string; found {n}")),
            },
            _ => match n {
                Arg::Bool { val, .. } => Ok(Val::new(V::Bool(*val))),
                Arg::Number { .. } => self.ideal_constant(n),
                Arg::Str { text, .. } => Ok(Val::new(V::Str(Cow::Owned(text.clone())))),
                _ => self.errorf(format!(
                    "can't handle assignment of {n} to empty interface argument"
                )),
            },
        }
    }

    // Long because: evalCall's argument counting, the and/or short-circuit and the final
    // pipeline value's type checks, in Go's order (each error depends on it).
    fn eval_call(
        &mut self,
        dot: &Val<'a>,
        name: &str,
        node: At<'t>,
        args: Option<&'t [Arg]>,
        fin: Option<Val<'a>>,
    ) -> R<Val<'a>> {
        let Some(sig) = signature(name) else {
            return self.errorf(format!("{} is not a defined function", quote(name)));
        };
        let args: &'t [Arg] = match args {
            Some(a) => &a[1..],
            None => &[],
        };
        let num_in = args.len() + usize::from(fin.is_some());
        let num_fixed = if sig.variadic.is_some() {
            sig.fixed.len()
        } else {
            args.len()
        };
        if sig.variadic.is_some() {
            if num_in < num_fixed {
                return self.errorf(format!(
                    "wrong number of args for {name}: want at least {} got {}",
                    sig.fixed.len(),
                    args.len()
                ));
            }
        } else if num_in != sig.fixed.len() {
            return self.errorf(format!(
                "wrong number of args for {name}: want {} got {num_in}",
                sig.fixed.len()
            ));
        }
        if name == "and" || name == "or" {
            let mut v = Val::invalid();
            for a in args {
                v = self.eval_arg(dot, Some(P::Value), a)?;
                if truth(&v) == (name == "or") {
                    return Ok(v);
                }
            }
            if let Some(f) = fin {
                v = f;
            }
            return Ok(v);
        }
        let ty = |i: usize| -> P {
            if i < sig.fixed.len() {
                sig.fixed[i]
            } else {
                sig.variadic.unwrap_or(P::Any)
            }
        };
        let mut argv = Vec::with_capacity(num_in);
        for (i, a) in args.iter().enumerate().take(num_fixed.max(args.len())) {
            let t = if sig.variadic.is_none() && i >= sig.fixed.len() {
                P::Any
            } else {
                ty(i)
            };
            argv.push(self.eval_arg(dot, Some(t), a)?);
        }
        if let Some(f) = fin {
            let t = if sig.variadic.is_some() {
                ty(num_in - 1)
            } else {
                *sig.fixed.last().unwrap_or(&P::Any)
            };
            argv.push(self.validate_type(f, Some(t))?);
        }
        let callee = args.first().map(|a| a.to_string());
        match builtin(name, argv, callee) {
            Ok(v) => Ok(v),
            Err(e) => {
                self.at(node);
                self.errorf(format!("error calling {name}: {e}"))
            }
        }
    }
}

/// `isTrue` of the value out of its interface.
pub fn truth(v: &Val) -> bool {
    match &v.v {
        V::Invalid | V::Nil => false,
        V::Bool(b) => *b,
        V::Int(i) | V::I64(i) => *i != 0,
        V::U8(u) => *u != 0,
        V::F64(f) => *f != 0.0,
        V::Str(s) => !s.is_empty(),
        V::Map(m) => !m.is_empty(),
        V::Arr(a) => !a.is_empty(),
    }
}

#[derive(PartialEq, Clone, Copy, Debug)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Float,
    Str,
    Uint,
}

fn basic_kind(v: &V) -> Kind {
    match v {
        V::Bool(_) => Kind::Bool,
        V::Int(_) | V::I64(_) => Kind::Int,
        V::U8(_) => Kind::Uint,
        V::F64(_) => Kind::Float,
        V::Str(_) => Kind::Str,
        _ => Kind::Invalid,
    }
}

fn int_of(v: &V) -> i64 {
    match v {
        V::Int(i) | V::I64(i) => *i,
        V::U8(u) => *u as i64,
        _ => 0,
    }
}

fn eq(a1: &Val, rest: &[Val]) -> Result<bool, String> {
    let a1 = a1.clone().unbox();
    if rest.is_empty() {
        return Err("missing argument for comparison".into());
    }
    let k1 = basic_kind(&a1.v);
    for a in rest {
        let a = a.clone().unbox();
        let k2 = basic_kind(&a.v);
        let truth = if k1 != k2 {
            match (k1, k2) {
                (Kind::Int, Kind::Uint) | (Kind::Uint, Kind::Int) => int_of(&a1.v) == int_of(&a.v),
                _ if a1.is_valid() && a.is_valid() => {
                    return Err("incompatible types for comparison".into());
                }
                _ => false,
            }
        } else {
            match (&a1.v, &a.v) {
                (V::Bool(x), V::Bool(y)) => x == y,
                (V::F64(x), V::F64(y)) => x == y,
                (V::Str(x), V::Str(y)) => x == y,
                _ if k1 != Kind::Invalid => int_of(&a1.v) == int_of(&a.v),
                _ => {
                    let same = std::mem::discriminant(&a1.v) == std::mem::discriminant(&a.v);
                    if !same && a1.is_valid() && a.is_valid() {
                        return Err(format!(
                            "non-comparable types {}: {}, {}: {}",
                            sprintf("%s", std::slice::from_ref(&a1)),
                            a1.type_name(),
                            a.type_name(),
                            sprint(std::slice::from_ref(&a))
                        ));
                    }
                    if !a1.is_valid() || !a.is_valid() {
                        !a1.is_valid() && !a.is_valid()
                    } else {
                        return Err(format!(
                            "non-comparable type {}: {}",
                            sprintf("%s", std::slice::from_ref(&a)),
                            a.type_name()
                        ));
                    }
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn lt(a1: &Val, a2: &Val) -> Result<bool, String> {
    let bad = || "invalid type for comparison".to_string();
    let a1 = a1.clone().unbox();
    let k1 = basic_kind(&a1.v);
    if k1 == Kind::Invalid {
        return Err(bad());
    }
    let a2 = a2.clone().unbox();
    let k2 = basic_kind(&a2.v);
    if k2 == Kind::Invalid {
        return Err(bad());
    }
    if k1 != k2 {
        return match (k1, k2) {
            (Kind::Int, Kind::Uint) | (Kind::Uint, Kind::Int) => Ok(int_of(&a1.v) < int_of(&a2.v)),
            _ => Err("incompatible types for comparison".into()),
        };
    }
    Ok(match (&a1.v, &a2.v) {
        (V::Bool(_), _) => return Err(bad()),
        (V::F64(x), V::F64(y)) => x < y,
        (V::Str(x), V::Str(y)) => x.as_bytes() < y.as_bytes(),
        _ => int_of(&a1.v) < int_of(&a2.v),
    })
}

fn index_arg(index: &Val, cap: usize) -> Result<usize, String> {
    let x = match &index.v {
        V::Int(i) | V::I64(i) => *i,
        V::U8(u) => *u as i64,
        V::Invalid | V::Nil => return Err("cannot index slice/array with nil".into()),
        v => {
            return Err(format!(
                "cannot index slice/array with type {}",
                v.type_name()
            ));
        }
    };
    if x < 0 || x as u64 > cap as u64 {
        return Err(format!("index out of range: {x}"));
    }
    Ok(x as usize)
}

/// `text/template`'s `evalArgs`: one string as is, else `Sprint` of the printable values.
fn eval_args(args: Vec<Val>) -> String {
    if let [Val { v: V::Str(s), .. }] = args.as_slice() {
        return s.to_string();
    }
    let args: Vec<Val> = args
        .into_iter()
        .map(|a| match a.v {
            V::Invalid | V::Nil => Val::new(V::Str(Cow::Borrowed("<no value>"))),
            _ => a,
        })
        .collect();
    sprint(&args)
}

// Long because: one match arm per builtin, each a port of its funcs.go body.
fn builtin<'a>(name: &str, argv: Vec<Val<'a>>, callee: Option<String>) -> Result<Val<'a>, String> {
    let s = |x: String| Ok(Val::new(V::Str(Cow::Owned(x))));
    match name {
        "not" => Ok(Val::new(V::Bool(!truth(&argv[0])))),
        "len" => match &argv[0].v {
            V::Nil => Err("len of nil pointer".into()),
            V::Invalid => Err("reflect: call of reflect.Value.Type on zero Value".into()),
            V::Map(m) => Ok(Val::new(V::Int(m.len() as i64))),
            V::Arr(a) => Ok(Val::new(V::Int(a.len() as i64))),
            V::Str(x) => Ok(Val::new(V::Int(x.len() as i64))),
            v => Err(format!("len of type {}", v.type_name())),
        },
        "index" => {
            let mut it = argv.into_iter();
            let mut item = it.next().unwrap_or_else(Val::invalid).unbox();
            if !item.is_valid() {
                return Err("index of untyped nil".into());
            }
            for index in it {
                let index = index.unbox();
                if let V::Nil = item.v {
                    return Err("index of nil pointer".into());
                }
                item = match item.v {
                    V::Arr(a) => {
                        let x = index_arg(&index, a.len())?;
                        match a.get(x) {
                            Some(e) => Val::json(e, true),
                            None => return Err("reflect: slice index out of range".into()),
                        }
                    }
                    V::Str(ref st) => {
                        let x = index_arg(&index, st.len())?;
                        match st.as_bytes().get(x) {
                            Some(b) => Val::new(V::U8(*b)),
                            None => return Err("reflect: string index out of range".into()),
                        }
                    }
                    V::Map(m) => {
                        let key: Cow<str> = match &index.v {
                            V::Invalid => Cow::Borrowed(""),
                            V::Str(k) => k.clone(),
                            v => {
                                return Err(format!(
                                    "value has type {}; should be string",
                                    v.type_name()
                                ));
                            }
                        };
                        match m.get(key.as_ref()) {
                            Some(e) => Val::json(e, true),
                            None => Val {
                                v: V::Nil,
                                boxed: true,
                            },
                        }
                    }
                    ref v => return Err(format!("can't index item of type {}", v.type_name())),
                };
            }
            Ok(item)
        }
        "slice" => {
            let item = argv[0].clone().unbox();
            if !item.is_valid() {
                return Err("slice of untyped nil".into());
            }
            let idx = &argv[1..];
            if idx.len() > 3 {
                return Err(format!("too many slice indexes: {}", idx.len()));
            }
            let len = match &item.v {
                V::Str(x) => {
                    if idx.len() == 3 {
                        return Err("cannot 3-index slice a string".into());
                    }
                    x.len()
                }
                V::Arr(a) => a.len(),
                v => return Err(format!("can't slice item of type {}", v.type_name())),
            };
            let mut ix = [0, len, 0];
            for (i, x) in idx.iter().enumerate() {
                ix[i] = index_arg(&x.clone().unbox(), len)?;
            }
            if ix[0] > ix[1] {
                return Err(format!("invalid slice index: {} > {}", ix[0], ix[1]));
            }
            if idx.len() == 3 && ix[1] > ix[2] {
                return Err(format!("invalid slice index: {} > {}", ix[1], ix[2]));
            }
            Ok(match item.v {
                V::Str(x) => Val::new(V::Str(Cow::Owned(
                    String::from_utf8_lossy(&x.as_bytes()[ix[0]..ix[1]]).into_owned(),
                ))),
                V::Arr(a) => Val::new(V::Arr(&a[ix[0]..ix[1]])),
                _ => Val::invalid(),
            })
        }
        "print" => s(sprint(&argv)),
        "println" => s(sprintln(&argv)),
        "printf" => {
            let f = match &argv[0].v {
                V::Str(f) => f.to_string(),
                _ => String::new(),
            };
            s(sprintf(&f, &argv[1..]))
        }
        "html" => s(html_escape(&eval_args(argv))),
        "js" => s(js_escape(&eval_args(argv))),
        "urlquery" => s(url_query_escape(&eval_args(argv))),
        "eq" => eq(&argv[0], &argv[1..]).map(|b| Val::new(V::Bool(b))),
        "ne" => eq(&argv[0], &argv[1..]).map(|b| Val::new(V::Bool(!b))),
        "lt" => lt(&argv[0], &argv[1]).map(|b| Val::new(V::Bool(b))),
        "le" => {
            let l = lt(&argv[0], &argv[1])?;
            let b = l || eq(&argv[0], &argv[1..])?;
            Ok(Val::new(V::Bool(b)))
        }
        "gt" => {
            let l = lt(&argv[0], &argv[1])?;
            let b = l || eq(&argv[0], &argv[1..])?;
            Ok(Val::new(V::Bool(!b)))
        }
        "ge" => lt(&argv[0], &argv[1]).map(|b| Val::new(V::Bool(!b))),
        "call" => {
            let f = argv[0].clone().unbox();
            if !f.is_valid() {
                return Err("call of nil".into());
            }
            Err(format!(
                "non-function {} of type {}",
                callee.unwrap_or_default(),
                f.type_name()
            ))
        }
        "exists" => Ok(Val::new(V::Bool(exists(&argv[0], &argv[1..])))),
        "base64decode" => {
            let text = match &argv[0].v {
                V::Str(x) => x.to_string(),
                _ => String::new(),
            };
            match crate::util::go_base64_decode(text.as_bytes()) {
                Ok(b) => s(String::from_utf8_lossy(&b).into_owned()),
                Err(at) => Err(format!(
                    "base64 decode failed: illegal base64 data at input byte {at}"
                )),
            }
        }
        _ => Err(format!("{} is not a defined function", quote(name))),
    }
}

/// kubectl's `exists`: whether `index item indices...` would find something non-nil.
fn exists(item: &Val, indices: &[Val]) -> bool {
    let mut v = item.clone().unbox();
    for index in indices {
        let index = index.clone().unbox();
        if let V::Nil = v.v {
            return false;
        }
        v = match v.v {
            V::Arr(a) => match index.v {
                V::Int(i) | V::I64(i) if i >= 0 && (i as usize) < a.len() => {
                    Val::json(&a[i as usize], true)
                }
                _ => return false,
            },
            V::Str(ref st) => match index.v {
                V::Int(i) | V::I64(i) if i >= 0 && (i as usize) < st.len() => {
                    Val::new(V::U8(st.as_bytes()[i as usize]))
                }
                _ => return false,
            },
            V::Map(m) => {
                let key: Cow<str> = match &index.v {
                    V::Invalid | V::Nil => Cow::Borrowed(""),
                    V::Str(k) => k.clone(),
                    _ => return false,
                };
                match m.get(key.as_ref()) {
                    Some(e) => Val::json(e, true),
                    None => Val {
                        v: V::Nil,
                        boxed: true,
                    },
                }
            }
            _ => return false,
        };
    }
    !matches!(v.v, V::Nil)
}

/// `template.HTMLEscapeString`.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{fffd}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// `template.JSEscapeString`.
pub fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u00{:02X}", c as u32)),
            c if c.is_ascii() || super::fmt::is_print(c) => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out
}

/// `url.QueryEscape`.
pub fn url_query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
