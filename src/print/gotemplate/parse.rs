//! Go's text/template/parse parser (parse.go, node.go): the tree, the definitions it
//! collects (`define`, `block`), and its errors worded as Go words them
//! (`template: output:1: unexpected "}" in operand`).

use super::lex::{It, Item, Lexer};
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub enum Node {
    Text(String),
    Action {
        pos: usize,
        pipe: Pipe,
    },
    If(Branch),
    Range(Branch),
    With(Branch),
    Template {
        pos: usize,
        name: String,
        pipe: Option<Pipe>,
    },
    Break {
        pos: usize,
    },
    Continue {
        pos: usize,
    },
}

#[derive(Debug, Clone)]
pub struct Branch {
    pub pos: usize,
    pub pipe: Pipe,
    pub list: Vec<Node>,
    pub else_list: Option<Vec<Node>>,
}

#[derive(Debug, Clone)]
pub struct Pipe {
    pub pos: usize,
    pub is_assign: bool,
    pub decl: Vec<String>,
    pub cmds: Vec<Cmd>,
}

#[derive(Debug, Clone)]
pub struct Cmd {
    pub pos: usize,
    pub args: Vec<Arg>,
}

#[derive(Debug, Clone)]
pub struct Number {
    pub text: String,
    pub int: Option<i64>,
    pub uint: Option<u64>,
    pub float: Option<f64>,
}

#[derive(Debug, Clone)]
pub enum Arg {
    Field {
        pos: usize,
        idents: Vec<String>,
    },
    Variable {
        pos: usize,
        idents: Vec<String>,
    },
    Chain {
        pos: usize,
        node: Box<Arg>,
        fields: Vec<String>,
    },
    Ident {
        pos: usize,
        name: String,
    },
    Dot {
        pos: usize,
    },
    Nil {
        pos: usize,
    },
    Bool {
        pos: usize,
        val: bool,
    },
    Number {
        pos: usize,
        num: Number,
    },
    Str {
        pos: usize,
        quoted: String,
        text: String,
    },
    Pipe {
        pos: usize,
        pipe: Box<Pipe>,
    },
}

impl Arg {
    pub fn pos(&self) -> usize {
        match self {
            Arg::Field { pos, .. }
            | Arg::Variable { pos, .. }
            | Arg::Chain { pos, .. }
            | Arg::Ident { pos, .. }
            | Arg::Dot { pos }
            | Arg::Nil { pos }
            | Arg::Bool { pos, .. }
            | Arg::Number { pos, .. }
            | Arg::Str { pos, .. }
            | Arg::Pipe { pos, .. } => *pos,
        }
    }
}

impl std::fmt::Display for Arg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Arg::Field { idents, .. } => {
                for i in idents {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Variable { idents, .. } => f.write_str(&idents.join(".")),
            Arg::Chain { node, fields, .. } => {
                match node.as_ref() {
                    Arg::Pipe { pipe, .. } => write!(f, "({pipe})")?,
                    n => write!(f, "{n}")?,
                }
                for i in fields {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Ident { name, .. } => f.write_str(name),
            Arg::Dot { .. } => f.write_str("."),
            Arg::Nil { .. } => f.write_str("nil"),
            Arg::Bool { val, .. } => write!(f, "{val}"),
            Arg::Number { num, .. } => f.write_str(&num.text),
            Arg::Str { quoted, .. } => f.write_str(quoted),
            Arg::Pipe { pipe, .. } => write!(f, "{pipe}"),
        }
    }
}

impl std::fmt::Display for Cmd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            match a {
                Arg::Pipe { pipe, .. } => write!(f, "({pipe})")?,
                a => write!(f, "{a}")?,
            }
        }
        Ok(())
    }
}

impl std::fmt::Display for Pipe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.decl.is_empty() {
            f.write_str(&self.decl.join(", "))?;
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

pub fn list_string(list: &[Node]) -> String {
    list.iter().map(|n| n.to_string()).collect()
}

impl std::fmt::Display for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let branch = |f: &mut std::fmt::Formatter<'_>, name: &str, b: &Branch| {
            write!(f, "{{{{{name} {}}}}}{}", b.pipe, list_string(&b.list))?;
            if let Some(e) = &b.else_list {
                write!(f, "{{{{else}}}}{}", list_string(e))?;
            }
            f.write_str("{{end}}")
        };
        match self {
            Node::Text(t) => f.write_str(t),
            Node::Action { pipe, .. } => write!(f, "{{{{{pipe}}}}}"),
            Node::If(b) => branch(f, "if", b),
            Node::Range(b) => branch(f, "range", b),
            Node::With(b) => branch(f, "with", b),
            Node::Template { name, pipe, .. } => match pipe {
                None => write!(f, "{{{{template {}}}}}", super::fmt::quote(name)),
                Some(p) => write!(f, "{{{{template {} {p}}}}}", super::fmt::quote(name)),
            },
            Node::Break { .. } => f.write_str("{{break}}"),
            Node::Continue { .. } => f.write_str("{{continue}}"),
        }
    }
}

/// What ends an item list: `{{end}}` or `{{else}}` (with its position).
enum Stop {
    End,
    Else,
}

pub type Trees = BTreeMap<String, Vec<Node>>;

struct Parser<'a> {
    name: String,
    lex: Lexer<'a>,
    token: [Option<Item>; 3],
    peek_count: usize,
    vars: Vec<String>,
    funcs: &'a dyn Fn(&str) -> bool,
    range_depth: usize,
    action_line: usize,
    last_line: usize,
    trees: &'a mut Trees,
}

type PResult<T> = Result<T, String>;

/// Parses `text` as the template `name`, its definitions added to `trees`;
/// `has_func` says which function names exist.
pub fn parse(name: &str, text: &str, has_func: &dyn Fn(&str) -> bool) -> PResult<Trees> {
    let mut trees = Trees::new();
    let mut p = Parser {
        name: name.to_string(),
        lex: Lexer::new(text),
        token: [None, None, None],
        peek_count: 0,
        vars: vec!["$".into()],
        funcs: has_func,
        range_depth: 0,
        action_line: 0,
        last_line: 1,
        trees: &mut trees,
    };
    let root = p.parse_top()?;
    let tname = p.name.clone();
    p.add(&tname, root)?;
    Ok(trees)
}

fn is_empty_tree(list: &[Node]) -> bool {
    list.iter().all(|n| match n {
        Node::Text(t) => t.trim().is_empty(),
        _ => false,
    })
}

impl Parser<'_> {
    fn next(&mut self) -> Item {
        if self.peek_count > 0 {
            self.peek_count -= 1;
        } else {
            self.token[0] = Some(self.lex.next_item());
        }
        let t = self.token[self.peek_count].clone().expect("token");
        self.last_line = self.token[0].as_ref().map(|t| t.line).unwrap_or(1);
        t
    }

    fn backup(&mut self) {
        self.peek_count += 1;
    }

    fn backup2(&mut self, t1: Item) {
        self.token[1] = Some(t1);
        self.peek_count = 2;
    }

    fn backup3(&mut self, t2: Item, t1: Item) {
        self.token[1] = Some(t1);
        self.token[2] = Some(t2);
        self.peek_count = 3;
    }

    fn peek(&mut self) -> Item {
        if self.peek_count > 0 {
            return self.token[self.peek_count - 1].clone().expect("token");
        }
        self.peek_count = 1;
        self.token[0] = Some(self.lex.next_item());
        self.token[0].clone().expect("token")
    }

    fn next_non_space(&mut self) -> Item {
        loop {
            let t = self.next();
            if t.typ != It::Space {
                return t;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item {
        let t = self.next_non_space();
        self.backup();
        t
    }

    fn errorf<T>(&self, msg: impl std::fmt::Display) -> PResult<T> {
        let line = self.token[0].as_ref().map(|t| t.line).unwrap_or(1);
        Err(format!("template: {}:{line}: {msg}", self.name))
    }

    fn expect(&mut self, t: It, context: &str) -> PResult<Item> {
        let token = self.next_non_space();
        if token.typ != t {
            return self.unexpected(&token, context);
        }
        Ok(token)
    }

    fn unexpected<T>(&self, token: &Item, context: &str) -> PResult<T> {
        if token.typ == It::Error {
            let mut extra = String::new();
            if self.action_line != 0 && self.action_line != token.line {
                extra = format!(" in action started at {}:{}", self.name, self.action_line);
                if token.val.ends_with(" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            return self.errorf(format!("{token}{extra}"));
        }
        self.errorf(format!("unexpected {token} in {context}"))
    }

    fn add(&mut self, name: &str, root: Vec<Node>) -> PResult<()> {
        match self.trees.get(name) {
            Some(t) if !is_empty_tree(t) => {
                if !is_empty_tree(&root) {
                    return self.errorf(format!(
                        "template: multiple definition of template {}",
                        super::fmt::quote(name)
                    ));
                }
                Ok(())
            }
            _ => {
                self.trees.insert(name.to_string(), root);
                Ok(())
            }
        }
    }

    fn parse_top(&mut self) -> PResult<Vec<Node>> {
        let mut root = Vec::new();
        while self.peek().typ != It::Eof {
            if self.peek().typ == It::LeftDelim {
                let delim = self.next();
                if self.next_non_space().typ == It::Define {
                    self.parse_definition()?;
                    continue;
                }
                self.backup2(delim);
            }
            match self.text_or_action()? {
                Ok(n) => root.push(n),
                Err((Stop::End, _)) => return self.errorf("unexpected {{end}}"),
                Err((Stop::Else, _)) => return self.errorf("unexpected {{else}}"),
            }
        }
        Ok(root)
    }

    fn parse_definition(&mut self) -> PResult<()> {
        let context = "define clause";
        let token = self.next_non_space();
        if token.typ != It::String && token.typ != It::RawString {
            return self.unexpected(&token, context);
        }
        let name = match unquote(&token.val) {
            Some(n) => n,
            None => return self.errorf("invalid syntax"),
        };
        self.expect(It::RightDelim, context)?;
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let (list, stop) = self.item_list()?;
        self.vars = saved_vars;
        if let Stop::Else = stop {
            return self.errorf(format!("unexpected {{{{else}}}} in {context}"));
        }
        self.add(&name, list)
    }

    /// Nodes up to `{{end}}` or `{{else}}` (returned as the stop).
    fn item_list(&mut self) -> PResult<(Vec<Node>, Stop)> {
        let mut list = Vec::new();
        while self.peek_non_space().typ != It::Eof {
            match self.text_or_action()? {
                Ok(n) => list.push(n),
                Err((stop, _)) => return Ok((list, stop)),
            }
        }
        self.errorf("unexpected EOF")
    }

    #[allow(clippy::type_complexity)]
    fn text_or_action(&mut self) -> PResult<Result<Node, (Stop, usize)>> {
        let token = self.next_non_space();
        match token.typ {
            It::Text => Ok(Ok(Node::Text(token.val))),
            It::LeftDelim => {
                self.action_line = token.line;
                let r = self.action();
                self.action_line = 0;
                r
            }
            _ => self.unexpected(&token, "input"),
        }
    }

    #[allow(clippy::type_complexity)]
    fn action(&mut self) -> PResult<Result<Node, (Stop, usize)>> {
        let token = self.next_non_space();
        match token.typ {
            It::Block => return self.block_control().map(Ok),
            It::Break | It::Continue => {
                let word = if token.typ == It::Break {
                    "break"
                } else {
                    "continue"
                };
                let t = self.next_non_space();
                if t.typ != It::RightDelim {
                    return self.unexpected(&t, &format!("{{{{{word}}}}}"));
                }
                if self.range_depth == 0 {
                    return self.errorf(format!("{{{{{word}}}}} outside {{{{range}}}}"));
                }
                return Ok(Ok(if token.typ == It::Break {
                    Node::Break { pos: token.pos }
                } else {
                    Node::Continue { pos: token.pos }
                }));
            }
            It::Else => {
                let peek = self.peek_non_space();
                if peek.typ == It::If || peek.typ == It::With {
                    return Ok(Err((Stop::Else, peek.pos)));
                }
                let t = self.expect(It::RightDelim, "else")?;
                return Ok(Err((Stop::Else, t.pos)));
            }
            It::End => {
                let t = self.expect(It::RightDelim, "end")?;
                return Ok(Err((Stop::End, t.pos)));
            }
            It::If => return self.control("if").map(|b| Ok(Node::If(b))),
            It::Range => return self.control("range").map(|b| Ok(Node::Range(b))),
            It::With => return self.control("with").map(|b| Ok(Node::With(b))),
            It::Template => return self.template_control().map(Ok),
            _ => {}
        }
        self.backup();
        let token = self.peek();
        let pipe = self.pipeline("command", It::RightDelim)?;
        Ok(Ok(Node::Action {
            pos: token.pos,
            pipe,
        }))
    }

    fn control(&mut self, context: &str) -> PResult<Branch> {
        let nvars = self.vars.len();
        let r = self.control_inner(context);
        self.vars.truncate(nvars);
        r
    }

    fn control_inner(&mut self, context: &str) -> PResult<Branch> {
        let pipe = self.pipeline(context, It::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let (list, stop) = self.item_list()?;
        if context == "range" {
            self.range_depth -= 1;
        }
        let mut else_list = None;
        if let Stop::Else = stop {
            if context == "if" && self.peek().typ == It::If {
                self.next();
                else_list = Some(vec![Node::If(self.control("if")?)]);
            } else if context == "with" && self.peek().typ == It::With {
                self.next();
                else_list = Some(vec![Node::With(self.control("with")?)]);
            } else {
                let (l, stop) = self.item_list()?;
                if let Stop::Else = stop {
                    return self.errorf("expected end; found {{else}}");
                }
                else_list = Some(l);
            }
        }
        Ok(Branch {
            pos: pipe.pos,
            pipe,
            list,
            else_list,
        })
    }

    fn template_name(&mut self, token: &Item, context: &str) -> PResult<String> {
        match token.typ {
            It::String | It::RawString => match unquote(&token.val) {
                Some(s) => Ok(s),
                None => self.errorf("invalid syntax"),
            },
            _ => self.unexpected(token, context),
        }
    }

    fn block_control(&mut self) -> PResult<Node> {
        let context = "block clause";
        let token = self.next_non_space();
        let name = self.template_name(&token, context)?;
        let pipe = self.pipeline(context, It::RightDelim)?;
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let (list, stop) = self.item_list()?;
        self.vars = saved_vars;
        if let Stop::Else = stop {
            return self.errorf(format!("unexpected {{{{else}}}} in {context}"));
        }
        self.add(&name, list)?;
        Ok(Node::Template {
            pos: token.pos,
            name,
            pipe: Some(pipe),
        })
    }

    fn template_control(&mut self) -> PResult<Node> {
        let context = "template clause";
        let token = self.next_non_space();
        let name = self.template_name(&token, context)?;
        let mut pipe = None;
        if self.next_non_space().typ != It::RightDelim {
            self.backup();
            pipe = Some(self.pipeline(context, It::RightDelim)?);
        }
        Ok(Node::Template {
            pos: token.pos,
            name,
            pipe,
        })
    }

    fn pipeline(&mut self, context: &str, end: It) -> PResult<Pipe> {
        let token = self.peek_non_space();
        let mut pipe = Pipe {
            pos: token.pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        'decls: loop {
            let v = self.peek_non_space();
            if v.typ != It::Variable {
                break 'decls;
            }
            self.next();
            let after = self.peek();
            let next = self.peek_non_space();
            if next.typ == It::Assign || next.typ == It::Declare {
                pipe.is_assign = next.typ == It::Assign;
                self.next_non_space();
                pipe.decl.push(v.val.clone());
                self.vars.push(v.val);
            } else if next.typ == It::Char && next.val == "," {
                self.next_non_space();
                pipe.decl.push(v.val.clone());
                self.vars.push(v.val);
                if context == "range" && pipe.decl.len() < 2 {
                    match self.peek_non_space().typ {
                        It::Variable | It::RightDelim | It::RightParen => continue 'decls,
                        _ => return self.errorf("range can only initialize variables"),
                    }
                }
                return self.errorf(format!("too many declarations in {context}"));
            } else if after.typ == It::Space {
                self.backup3(v, after);
            } else {
                self.backup2(v);
            }
            break 'decls;
        }
        loop {
            let token = self.next_non_space();
            match token.typ {
                t if t == end => {
                    if pipe.cmds.is_empty() {
                        return self.errorf(format!("missing value for {context}"));
                    }
                    for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
                        if matches!(
                            c.args[0],
                            Arg::Bool { .. }
                                | Arg::Dot { .. }
                                | Arg::Nil { .. }
                                | Arg::Number { .. }
                                | Arg::Str { .. }
                        ) {
                            return self.errorf(format!(
                                "non executable command in pipeline stage {}",
                                i + 1
                            ));
                        }
                    }
                    return Ok(pipe);
                }
                It::Bool
                | It::CharConstant
                | It::Complex
                | It::Dot
                | It::Field
                | It::Identifier
                | It::Number
                | It::Nil
                | It::RawString
                | It::String
                | It::Variable
                | It::LeftParen => {
                    self.backup();
                    let c = self.command()?;
                    pipe.cmds.push(c);
                }
                _ => return self.unexpected(&token, context),
            }
        }
    }

    fn command(&mut self) -> PResult<Cmd> {
        let pos = self.peek_non_space().pos;
        let mut args = Vec::new();
        loop {
            self.peek_non_space();
            if let Some(op) = self.operand()? {
                args.push(op);
            }
            let token = self.next();
            match token.typ {
                It::Space => continue,
                It::RightDelim | It::RightParen => self.backup(),
                It::Pipe => {}
                _ => return self.unexpected(&token, "operand"),
            }
            break;
        }
        if args.is_empty() {
            return self.errorf("empty command");
        }
        Ok(Cmd { pos, args })
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().typ != It::Field {
            return Ok(Some(node));
        }
        let pos = self.peek().pos;
        let mut fields = Vec::new();
        while self.peek().typ == It::Field {
            fields.push(self.next().val[1..].to_string());
        }
        Ok(Some(match node {
            Arg::Field { mut idents, .. } => {
                idents.extend(fields);
                Arg::Field { pos, idents }
            }
            Arg::Variable { mut idents, .. } => {
                idents.extend(fields);
                Arg::Variable { pos, idents }
            }
            n @ (Arg::Bool { .. }
            | Arg::Str { .. }
            | Arg::Number { .. }
            | Arg::Nil { .. }
            | Arg::Dot { .. }) => {
                return self.errorf(format!(
                    "unexpected . after term {}",
                    super::fmt::quote(&n.to_string())
                ));
            }
            n => Arg::Chain {
                pos,
                node: Box::new(n),
                fields,
            },
        }))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let token = self.next_non_space();
        let pos = token.pos;
        Ok(Some(match token.typ {
            It::Identifier => {
                if !(self.funcs)(&token.val) {
                    return self.errorf(format!(
                        "function {} not defined",
                        super::fmt::quote(&token.val)
                    ));
                }
                Arg::Ident {
                    pos,
                    name: token.val,
                }
            }
            It::Dot => Arg::Dot { pos },
            It::Nil => Arg::Nil { pos },
            It::Variable => {
                let idents: Vec<String> = token.val.split('.').map(str::to_string).collect();
                if !self.vars.contains(&idents[0]) {
                    return self.errorf(format!(
                        "undefined variable {}",
                        super::fmt::quote(&idents[0])
                    ));
                }
                Arg::Variable { pos, idents }
            }
            It::Field => Arg::Field {
                pos,
                idents: vec![token.val[1..].to_string()],
            },
            It::Bool => Arg::Bool {
                pos,
                val: token.val == "true",
            },
            It::CharConstant | It::Complex | It::Number => {
                let num = match new_number(&token.val, token.typ) {
                    Ok(n) => n,
                    Err(e) => return self.errorf(e),
                };
                Arg::Number { pos, num }
            }
            It::LeftParen => {
                // No depth limit: kubectl 1.33's Go (1.24.2) has none.
                let pipe = self.pipeline("parenthesized pipeline", It::RightParen)?;
                Arg::Pipe {
                    pos,
                    pipe: Box::new(pipe),
                }
            }
            It::String | It::RawString => match unquote(&token.val) {
                Some(text) => Arg::Str {
                    pos,
                    quoted: token.val,
                    text,
                },
                None => return self.errorf("invalid syntax"),
            },
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

/// Go's `strconv.Unquote` for the three quote forms.
pub fn unquote(s: &str) -> Option<String> {
    if s.len() >= 2 && s.starts_with('`') && s.ends_with('`') {
        return Some(s[1..s.len() - 1].replace('\r', ""));
    }
    crate::print::jsonpath::unquote_extend(s)
}

/// parse/node.go `newNumber`.
fn new_number(text: &str, typ: It) -> Result<Number, String> {
    let mut n = Number {
        text: text.to_string(),
        int: None,
        uint: None,
        float: None,
    };
    if typ == It::CharConstant {
        let s = unquote(text).ok_or("invalid syntax")?;
        let mut cs = s.chars();
        let c = cs.next().ok_or("invalid syntax")?;
        if cs.next().is_some() {
            return Err(format!("malformed character constant: {text}"));
        }
        n.int = Some(c as i64);
        n.uint = Some(c as u64);
        n.float = Some(c as u32 as f64);
        return Ok(n);
    }
    if typ == It::Complex || text.ends_with('i') {
        return Err(format!(
            "illegal number syntax: {} (kubesim has no complex numbers)",
            super::fmt::quote(text)
        ));
    }
    let (neg, body) = match text.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let clean = body.replace('_', "");
    let parsed: Option<u64> = if let Some(h) = clean.strip_prefix("0x").or(clean.strip_prefix("0X"))
    {
        u64::from_str_radix(h, 16).ok()
    } else if let Some(o) = clean.strip_prefix("0o").or(clean.strip_prefix("0O")) {
        u64::from_str_radix(o, 8).ok()
    } else if let Some(b) = clean.strip_prefix("0b").or(clean.strip_prefix("0B")) {
        u64::from_str_radix(b, 2).ok()
    } else if clean.len() > 1 && clean.starts_with('0') && clean.bytes().all(|b| b.is_ascii_digit())
    {
        u64::from_str_radix(&clean[1..], 8).ok()
    } else if !clean.is_empty() && clean.bytes().all(|b| b.is_ascii_digit()) {
        clean.parse().ok()
    } else {
        None
    };
    if let Some(u) = parsed {
        if !neg {
            n.uint = Some(u);
        }
        if neg {
            if u <= i64::MAX as u64 + 1 {
                n.int = Some((u as i128).wrapping_neg() as i64);
            }
        } else if u <= i64::MAX as u64 {
            n.int = Some(u as i64);
        }
        if n.int == Some(0) {
            n.uint = Some(0);
        }
    }
    if n.int.is_none()
        && n.uint.is_none()
        && let Some(f) = hex_float(&clean)
    {
        let f = if neg { -f } else { f };
        n.float = Some(f);
        if f.fract() == 0.0 && f.abs() < 9.2e18 {
            n.int = Some(f as i64);
        }
        if f.fract() == 0.0 && (0.0..1.8e19).contains(&f) {
            n.uint = Some(f as u64);
        }
        return Ok(n);
    }
    if let Some(i) = n.int {
        n.float = Some(i as f64);
    } else if let Some(u) = n.uint {
        n.float = Some(u as f64);
    } else if let Ok(f) = text.replace('_', "").parse::<f64>()
        && !text.contains(['x', 'X'])
    {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {}", super::fmt::quote(text)));
        }
        n.float = Some(f);
        if f.fract() == 0.0 && f.abs() < 9.2e18 {
            n.int = Some(f as i64);
        }
        if f.fract() == 0.0 && (0.0..1.8e19).contains(&f) {
            n.uint = Some(f as u64);
        }
    }
    if n.int.is_none() && n.uint.is_none() && n.float.is_none() {
        return Err(format!(
            "illegal number syntax: {}",
            super::fmt::quote(text)
        ));
    }
    Ok(n)
}

/// A hexadecimal floating-point literal (`0x1.8p3`), as `strconv.ParseFloat` reads it.
fn hex_float(s: &str) -> Option<f64> {
    let h = s.strip_prefix("0x").or(s.strip_prefix("0X"))?;
    let (mant, exp) = h.split_once(['p', 'P'])?;
    let exp: i32 = exp.parse().ok()?;
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut v = 0f64;
    for c in int.chars() {
        v = v * 16.0 + c.to_digit(16)? as f64;
    }
    let mut scale = 1.0 / 16.0;
    for c in frac.chars() {
        v += c.to_digit(16)? as f64 * scale;
        scale /= 16.0;
    }
    Some(v * 2f64.powi(exp))
}
