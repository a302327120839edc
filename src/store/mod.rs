//! The state directory: where the simulated cluster lives between commands.
//!
//! Layout (format 1):
//! ```text
//! <state>/                         locked with flock(2) on the directory itself: exclusive
//!                                  for mutating commands, shared for reads
//! <state>/meta.json                the manifest: format, commit generation, resourceVersion counter,
//!                                  virtual clock, name generator state, and which segment file
//!                                  holds each (resource, namespace)
//! <state>/objects/<plural>.<ns>.<gen>.json   one segment: the objects of one resource in one
//!                                  namespace (`_` for cluster-scoped), a JSON array sorted by name
//! ```
//! A command loads `meta.json` and then only the segments it touches (so `get deploy` never reads
//! the pods). A commit writes each changed segment to a new file named after the new generation
//! and the new manifest to a temporary file, fsyncs them all (at once: only the rename needs
//! them durable first), then atomically replaces `meta.json` (rename, fsync the directory). A crash before the rename leaves the previous manifest and its segments intact;
//! files no manifest refers to are removed by the next commit. This is the shape of a snapshot
//! store: atomic, crash-safe under kill -9, and cheap when most of the state is untouched.
//!
//! What a commit does not trust: files it creates are created exclusively after removing
//! whatever is at their name (a planted symbolic link is never followed); an `objects` that is
//! not a plain directory is refused; a write that fails removes the new generation's files at
//! once; the generation on disk is checked against the one read before the commit point. What
//! an open does not trust: a manifest whose counters, times or segment names are out of shape is
//! a corrupt state (named, with `kubesim reset` as the way out), and so is a directory holding
//! objects without a manifest — never a fresh cluster over them.

use crate::util::ptr::Ptr;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The store format this binary reads and writes.
pub const FORMAT: u32 = 1;

/// A failure to read or write the state directory, always naming the path.
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

fn io_err(what: &str, path: &Path, e: std::io::Error) -> StoreError {
    StoreError(format!("{what} {}: {e}", path.display()))
}

static COMMIT_FAILED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether a commit of this process failed: what the command printed as done did not happen
/// (the CLI then withholds it).
pub fn commit_failed() -> bool {
    COMMIT_FAILED.load(std::sync::atomic::Ordering::Relaxed)
}

/// The manifest (`meta.json`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Meta {
    pub format: u32,
    /// Commit counter; segment files carry the generation that wrote them.
    pub generation: u64,
    /// The last resourceVersion handed out.
    pub resource_version: u64,
    /// The virtual clock, RFC 3339.
    pub clock: String,
    /// When the state was created (virtual time), RFC 3339.
    pub created: String,
    /// Whether the virtual clock catches up with the wall clock when a command starts.
    pub follow_wall_clock: bool,
    /// The wall-clock time (RFC 3339) the virtual clock last caught up to.
    #[serde(default)]
    pub wall_anchor: Option<String>,
    /// Seed of the name/uid generators (`util::names`).
    pub rng: u64,
    /// Their counters, one per key (`util::names::Names`).
    #[serde(default)]
    pub names: BTreeMap<String, u64>,
    /// Settings a user may change (`--no-settle` by default, ...).
    #[serde(default)]
    pub settings: BTreeMap<String, String>,
    /// (resource plural, namespace or `_`) → segment file name under `objects/`.
    pub segments: BTreeMap<String, String>,
    /// When the next sweep of expired Events is due (RFC 3339), or `none` when no Event is
    /// stored; absent (a state from before Events expired) means at the next commit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_sweep: Option<String>,
    /// Engine bookkeeping that must survive between commands (pending timers), opaque here.
    #[serde(default)]
    pub engine: Value,
}

/// How a command holds the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

#[derive(Debug, Default)]
struct Segment {
    /// Shared with the watch log: a write after the log let go of the object changes it in
    /// place instead of copying it.
    objects: BTreeMap<String, Arc<Value>>,
    /// Objects kept in their serialized (segment file) form until someone reads them: what
    /// is written and rarely read back (Events) costs its JSON text, not a tree of values.
    /// A name is in `objects` or here, never in both.
    packed: BTreeMap<String, Packed>,
    dirty: bool,
    /// Controller-owner uid → names of the objects it controls (`""` = no controller).
    by_controller: BTreeMap<String, std::collections::BTreeSet<String>>,
    /// Owner uid → names of the objects it owns without being their controller (a Node's
    /// Lease; rare): with `by_controller`, every owner's dependents without a scan.
    by_owner: BTreeMap<String, std::collections::BTreeSet<String>>,
    /// `spec.nodeName` → names of the objects bound there (pods): a kubelet reads its node's
    /// pods without a scan.
    by_node: BTreeMap<String, std::collections::BTreeSet<String>>,
}

/// An object as the store holds it ([`Store::for_each_held`]).
pub enum Held<'a> {
    Tree(&'a Value),
    Text(&'a str),
}

impl Held<'_> {
    /// Decodes a view of the object from either form.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        match self {
            Held::Tree(v) => T::deserialize(*v),
            Held::Text(t) => serde_json::from_str(t),
        }
    }
}

/// Where a packed object's JSON text is.
#[derive(Debug)]
enum Packed {
    /// In memory.
    Mem(Box<str>),
    /// In a file the store holds open ([`Texts::files`]): a segment it loaded, or its spill file.
    File { src: usize, off: u64, len: usize },
}

/// A segment file holding more packed text than this is not copied into memory on load: its
/// objects are read from the (open) file when needed.
const LOAD_IN_PLACE_BYTES: usize = 8 << 20;
/// Once this much packed text is in memory, new packed objects go to the spill file.
const SPILL_AFTER_BYTES: usize = 8 << 20;

/// The text of packed objects that is not in memory: files the store holds open, and the
/// spill file (unlinked as soon as it is created, so nothing is left behind by a crash).
/// At 10,000 pods the Events alone are ~45 MB of JSON: written once, read back only by
/// the commit.
#[derive(Debug, Default)]
struct Texts {
    files: Vec<File>,
    /// Per file in `files`: its read-only mapping, for a segment loaded in place (texts are
    /// slices of it, no copy, no system call); `None` for the spill file.
    maps: Vec<Option<memmap2::Mmap>>,
    /// Index of the spill file in `files`, and its length on disk.
    spill: Option<(usize, u64)>,
    /// Spilled text not yet written to the file (it starts at the file's length).
    spill_buf: Vec<u8>,
    mem_bytes: usize,
    /// [`SPILL_AFTER_BYTES`] (unit tests lower it).
    spill_after: usize,
    /// [`LOAD_IN_PLACE_BYTES`] (unit tests lower it).
    load_in_place_after: usize,
}

impl Texts {
    fn new() -> Texts {
        Texts {
            spill_after: SPILL_AFTER_BYTES,
            load_in_place_after: LOAD_IN_PLACE_BYTES,
            ..Texts::default()
        }
    }

    fn read<'a>(&'a self, p: &'a Packed) -> std::io::Result<std::borrow::Cow<'a, str>> {
        use std::borrow::Cow;
        match p {
            Packed::Mem(t) => Ok(Cow::Borrowed(t)),
            &Packed::File { src, off, len } => {
                if let Some((i, on_disk)) = self.spill
                    && i == src
                    && off >= on_disk
                {
                    let at = (off - on_disk) as usize;
                    return std::str::from_utf8(&self.spill_buf[at..at + len])
                        .map(Cow::Borrowed)
                        .map_err(std::io::Error::other);
                }
                if let Some(b) = self.mapped_text(src, off, len)? {
                    return std::str::from_utf8(b)
                        .map(Cow::Borrowed)
                        .map_err(std::io::Error::other);
                }
                let mut buf = vec![0u8; len];
                read_exact_at(&self.files[src], &mut buf, off)?;
                String::from_utf8(buf)
                    .map(Cow::Owned)
                    .map_err(std::io::Error::other)
            }
        }
    }

    fn value(&self, p: &Packed) -> Value {
        let text = self
            .read(p)
            .expect("the state's files stay readable while it is open");
        serde_json::from_str(&text).expect("packed objects are valid JSON")
    }

    /// Keeps `text` in memory, or in the spill file once enough is in memory.
    fn pack(&mut self, dir: &Path, text: String) -> Packed {
        if self.mem_bytes + text.len() <= self.spill_after {
            self.mem_bytes += text.len();
            return Packed::Mem(text.into_boxed_str());
        }
        if self.spill.is_none() {
            match open_spill(dir) {
                Ok(f) => {
                    self.files.push(f);
                    self.maps.push(None);
                    self.spill = Some((self.files.len() - 1, 0));
                }
                Err(_) => {
                    // No spill file (read-only directory?): keep it in memory.
                    self.mem_bytes += text.len();
                    return Packed::Mem(text.into_boxed_str());
                }
            }
        }
        let (src, on_disk) = self.spill.expect("opened");
        let off = on_disk + self.spill_buf.len() as u64;
        let len = text.len();
        self.spill_buf.extend_from_slice(text.as_bytes());
        if self.spill_buf.len() >= 1 << 20 && self.flush_spill().is_err() {
            // Could not write: take this text back into memory.
            self.spill_buf.truncate(self.spill_buf.len() - len);
            self.mem_bytes += len;
            return Packed::Mem(text.into_boxed_str());
        }
        Packed::File { src, off, len }
    }

    fn flush_spill(&mut self) -> std::io::Result<()> {
        if let Some((src, on_disk)) = self.spill
            && !self.spill_buf.is_empty()
        {
            write_all_at(&self.files[src], &self.spill_buf, on_disk)?;
            self.spill = Some((src, on_disk + self.spill_buf.len() as u64));
            self.spill_buf.clear();
        }
        Ok(())
    }

    /// The mapping of file `src`, if it is a segment loaded in place.
    /// The bytes of a packed text in file `src`, if that file is a mapped segment.
    fn mapped_text(&self, src: usize, off: u64, len: usize) -> std::io::Result<Option<&[u8]>> {
        let Some(m) = self.maps.get(src).and_then(Option::as_deref) else {
            return Ok(None);
        };
        m.get(off as usize..off as usize + len)
            .map(Some)
            .ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "a packed object lies beyond the end of its file",
                )
            })
    }

    fn forget(&mut self, p: &Packed) {
        if let Packed::Mem(t) = p {
            self.mem_bytes = self.mem_bytes.saturating_sub(t.len());
        }
    }
}

/// Reads packed texts through a window over their file: a commit writes a segment's objects
/// in name order, which is (nearly) the order of their text in the segment file they were
/// loaded from, or in the spill file; one read per window instead of one per object (61,000
/// Events).
struct Window<'a> {
    texts: &'a Texts,
    /// Per file: where its window starts, and the bytes there.
    windows: Vec<(usize, u64, Vec<u8>)>,
    one: Vec<u8>,
}

const WINDOW_BYTES: usize = 64 << 10;

impl<'a> Window<'a> {
    fn new(texts: &'a Texts) -> Window<'a> {
        Window {
            texts,
            windows: Vec::new(),
            one: Vec::new(),
        }
    }

    fn read<'b>(&'b mut self, p: &'b Packed) -> std::io::Result<&'b [u8]> {
        let (src, off, len) = match p {
            Packed::Mem(t) => return Ok(t.as_bytes()),
            &Packed::File { src, off, len } => (src, off, len),
        };
        if let Some(b) = self.texts.mapped_text(src, off, len)? {
            return Ok(b);
        }
        if let Some((i, on_disk)) = self.texts.spill
            && i == src
            && off >= on_disk
        {
            let at = (off - on_disk) as usize;
            return Ok(&self.texts.spill_buf[at..at + len]);
        }
        let w = match self.windows.iter().position(|w| w.0 == src) {
            Some(w) => w,
            None => {
                self.windows.push((src, 0, Vec::new()));
                self.windows.len() - 1
            }
        };
        let (_, start, buf) = &mut self.windows[w];
        let end = *start + buf.len() as u64;
        if !(off >= *start && off + len as u64 <= end) {
            if off < *start {
                // Behind the window (out of order): read just this text.
                self.one.resize(len, 0);
                read_exact_at(&self.texts.files[src], &mut self.one, off)?;
                return Ok(&self.one);
            }
            buf.resize(len.max(WINDOW_BYTES), 0);
            let got = read_up_to_at(&self.texts.files[src], buf, off)?;
            if got < len {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "a packed object lies beyond the end of its file",
                ));
            }
            buf.truncate(got);
            *start = off;
        }
        let at = (off - *start) as usize;
        Ok(&buf[at..at + len])
    }
}

/// Reads as much of `buf` as the file holds from `off` on; returns how much.
fn read_up_to_at(f: &File, buf: &mut [u8], off: u64) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match read_at(f, &mut buf[got..], off + got as u64) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// Opens a fresh spill file under `dir/objects` and unlinks it at once (where the system
/// allows: elsewhere the next commit removes it, as any file no manifest names).
fn open_spill(dir: &Path) -> std::io::Result<File> {
    check_objects_dir(dir).map_err(|e| std::io::Error::other(e.0))?;
    let objects = dir.join("objects");
    create_private_dir(&objects).map_err(|e| std::io::Error::other(e.0))?;
    let path = objects.join(format!(".spill.{}", std::process::id()));
    let f = create_fresh(&path).map_err(|e| std::io::Error::other(e.0))?;
    #[cfg(unix)]
    let _ = fs::remove_file(&path);
    Ok(f)
}

#[cfg(unix)]
fn read_exact_at(f: &File, buf: &mut [u8], off: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(f, buf, off)
}

#[cfg(unix)]
fn read_at(f: &File, buf: &mut [u8], off: u64) -> std::io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(f, buf, off)
}

#[cfg(not(unix))]
fn read_at(f: &File, buf: &mut [u8], off: u64) -> std::io::Result<usize> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = f;
    f.seek(SeekFrom::Start(off))?;
    f.read(buf)
}

#[cfg(unix)]
fn write_all_at(f: &File, buf: &[u8], off: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(f, buf, off)
}

#[cfg(not(unix))]
fn read_exact_at(f: &File, buf: &mut [u8], off: u64) -> std::io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = f;
    f.seek(SeekFrom::Start(off))?;
    f.read_exact(buf)
}

#[cfg(not(unix))]
fn write_all_at(f: &File, buf: &[u8], off: u64) -> std::io::Result<()> {
    use std::io::{Seek, SeekFrom};
    let mut f = f;
    f.seek(SeekFrom::Start(off))?;
    f.write_all(buf)
}

/// The uid of the object's controller (`ownerReferences[].controller == true`), or `""`.
pub fn controller_uid(v: &Value) -> &str {
    v.ptr("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .and_then(|a| {
            a.iter()
                .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
        })
        .and_then(|r| r.get("uid"))
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// The uids of the object's owners that are not its controller.
fn other_owner_uids(v: &Value) -> impl Iterator<Item = &str> {
    v.ptr("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|r| r.get("controller").and_then(Value::as_bool) != Some(true))
        .filter_map(|r| r.get("uid").and_then(Value::as_str))
}

fn index_insert(
    index: &mut BTreeMap<String, std::collections::BTreeSet<String>>,
    uid: &str,
    name: &str,
) {
    index
        .entry(uid.to_string())
        .or_default()
        .insert(name.to_string());
}

fn index_delete(
    index: &mut BTreeMap<String, std::collections::BTreeSet<String>>,
    uid: &str,
    name: &str,
) {
    if let Some(set) = index.get_mut(uid) {
        set.remove(name);
        if set.is_empty() {
            index.remove(uid);
        }
    }
}

/// Splits a JSON array of objects (a segment file) in one pass: each element decoded as `T`
/// (a slim view that borrows from `bytes`) with its exact text. Parsing the array into raw
/// values first and each of them again for the view would read every byte twice.
fn split_array<'a, T: Deserialize<'a>>(
    bytes: &'a [u8],
) -> Result<Vec<(T, &'a str)>, serde_json::Error> {
    use serde::de::Error;
    let ws = |b: &u8| matches!(b, b' ' | b'\n' | b'\r' | b'\t');
    let skip = |mut i: usize| {
        while bytes.get(i).is_some_and(ws) {
            i += 1;
        }
        i
    };
    let mut i = skip(0);
    if bytes.get(i) != Some(&b'[') {
        return Err(serde_json::Error::custom("expected a JSON array"));
    }
    i = skip(i + 1);
    let mut out = Vec::new();
    if bytes.get(i) == Some(&b']') {
        i += 1;
    } else {
        loop {
            if bytes.get(i) != Some(&b'{') {
                return Err(serde_json::Error::custom(format!(
                    "expected an object at byte {i}"
                )));
            }
            let mut it = serde_json::Deserializer::from_slice(&bytes[i..]).into_iter::<T>();
            let v = match it.next() {
                Some(r) => r?,
                None => return Err(serde_json::Error::custom("unexpected end of the array")),
            };
            let end = i + it.byte_offset();
            let text = std::str::from_utf8(&bytes[i..end]).map_err(serde_json::Error::custom)?;
            out.push((v, text));
            i = skip(end);
            match bytes.get(i) {
                Some(b',') => i = skip(i + 1),
                Some(b']') => {
                    i += 1;
                    break;
                }
                _ => {
                    return Err(serde_json::Error::custom(format!(
                        "expected `,` or `]` at byte {i}"
                    )));
                }
            }
        }
    }
    if skip(i) != bytes.len() {
        return Err(serde_json::Error::custom(
            "trailing characters after the array",
        ));
    }
    Ok(out)
}

/// The names in `m` that start with `prefix`, from a range of the sorted keys.
fn names_from<V>(m: &BTreeMap<String, V>, prefix: &str) -> Vec<String> {
    m.range::<str, _>((
        std::ops::Bound::Included(prefix),
        std::ops::Bound::Unbounded,
    ))
    .map(|(k, _)| k)
    .take_while(|k| k.starts_with(prefix))
    .cloned()
    .collect()
}

/// The object's `spec.nodeName`, or `""`.
fn node_name(v: &Value) -> &str {
    v.ptr("/spec/nodeName")
        .and_then(Value::as_str)
        .unwrap_or("")
}

impl Segment {
    fn index_add(&mut self, name: &str, v: &Value) {
        index_insert(&mut self.by_controller, controller_uid(v), name);
        for uid in other_owner_uids(v) {
            index_insert(&mut self.by_owner, uid, name);
        }
        let node = node_name(v);
        if !node.is_empty() {
            index_insert(&mut self.by_node, node, name);
        }
    }
    fn index_remove(&mut self, name: &str, v: &Value) {
        index_delete(&mut self.by_controller, controller_uid(v), name);
        for uid in other_owner_uids(v) {
            index_delete(&mut self.by_owner, uid, name);
        }
        index_delete(&mut self.by_node, node_name(v), name);
    }
    /// Turns a packed object back into a value (it stays one).
    fn unpack(&mut self, texts: &mut Texts, name: &str) {
        if let Some(p) = self.packed.remove(name) {
            let v = texts.value(&p);
            texts.forget(&p);
            self.objects.insert(name.to_string(), Arc::new(v));
        }
    }
    fn unpack_all(&mut self, texts: &mut Texts) {
        for (name, p) in std::mem::take(&mut self.packed) {
            let v = texts.value(&p);
            texts.forget(&p);
            self.objects.insert(name, Arc::new(v));
        }
    }
    /// Removes an object in either form; returns it as a value.
    fn take(&mut self, texts: &mut Texts, name: &str) -> Option<Arc<Value>> {
        self.unpack(texts, name);
        self.objects.remove(name)
    }
    fn is_empty(&self) -> bool {
        self.objects.is_empty() && self.packed.is_empty()
    }
    /// Writes the segment file's bytes: a JSON array of the objects in name order, exactly as
    /// `serde_json::to_writer(&Vec<&Value>)` would.
    fn write_to(&self, texts: &Texts, w: &mut impl Write) -> std::io::Result<()> {
        let mut reader = Window::new(texts);
        let mut live = self.objects.iter().peekable();
        let mut packed = self.packed.iter().peekable();
        w.write_all(b"[")?;
        let mut first = true;
        loop {
            let take_live = match (live.peek(), packed.peek()) {
                (None, None) => break,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (Some((a, _)), Some((b, _))) => a < b,
            };
            if !first {
                w.write_all(b",")?;
            }
            first = false;
            if take_live {
                let (_, v) = live.next().expect("peeked");
                serde_json::to_writer(&mut *w, &**v).map_err(std::io::Error::other)?;
            } else {
                let (_, p) = packed.next().expect("peeked");
                w.write_all(reader.read(p)?)?;
            }
        }
        w.write_all(b"]")
    }
}

/// An open state directory: the manifest plus the segments loaded so far.
pub struct Store {
    dir: PathBuf,
    pub meta: Meta,
    segments: BTreeMap<String, Segment>,
    access: Access,
    _lock: File,
    meta_dirty: bool,
    /// The manifest as last read or written: a commit that would change nothing is skipped.
    committed: Option<Meta>,
    texts: Texts,
}

fn seg_key(plural: &str, ns: &str) -> String {
    format!("{plural}.{}", if ns.is_empty() { "_" } else { ns })
}

impl Store {
    /// Whether `dir` holds a state already.
    pub fn exists(dir: &Path) -> bool {
        dir.join("meta.json").exists()
    }

    /// Opens the state at `dir`, holding its lock until the store is dropped. Returns `None`
    /// when there is no state yet (the caller then initialises one: [`Store::open_or_create`]).
    /// A directory that holds objects but no manifest is an error, never "no state".
    pub fn open(dir: &Path, access: Access) -> Result<Option<Store>, StoreError> {
        let lock = match access {
            Access::Write => {
                create_private_dir(dir)?;
                lock_state(dir, true)?
            }
            Access::Read => {
                if !dir.join("meta.json").exists() {
                    check_no_orphans(dir)?;
                    return Ok(None);
                }
                lock_state(dir, false)?
            }
        };
        if access == Access::Write {
            check_objects_dir(dir)?;
        }
        let Some(meta) = read_meta(dir)? else {
            check_no_orphans(dir)?;
            return Ok(None);
        };
        Ok(Some(Store::with_meta(dir, meta, access, lock, false)))
    }

    /// Opens the state at `dir` for writing, or, when there is none, a new one with the
    /// manifest `fresh` makes (not yet committed; `true` with it). The lock is held from
    /// the look to the commit, so two commands never both create a state.
    pub fn open_or_create(
        dir: &Path,
        fresh: impl FnOnce() -> Result<Meta, StoreError>,
    ) -> Result<(Store, bool), StoreError> {
        create_private_dir(dir)?;
        let lock = lock_state(dir, true)?;
        check_objects_dir(dir)?;
        match read_meta(dir)? {
            Some(meta) => Ok((
                Store::with_meta(dir, meta, Access::Write, lock, false),
                false,
            )),
            None => {
                check_no_orphans(dir)?;
                Ok((
                    Store::with_meta(dir, fresh()?, Access::Write, lock, true),
                    true,
                ))
            }
        }
    }

    /// `kubesim reset`: under the exclusive lock, removes whatever state is at `dir` —
    /// corrupt, from another format, or half written — without reading it, and returns a
    /// new one with the manifest `meta` (not yet committed). A symbolic link planted as
    /// `objects` is removed, never followed.
    pub fn reset(dir: &Path, meta: Meta) -> Result<Store, StoreError> {
        create_private_dir(dir)?;
        let lock = lock_state(dir, true)?;
        for name in ["meta.json", "meta.json.tmp"] {
            let p = dir.join(name);
            match fs::remove_file(&p) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(io_err("cannot remove", &p, e));
                }
                _ => {}
            }
        }
        let objects = dir.join("objects");
        match fs::symlink_metadata(&objects) {
            Ok(m) if m.is_dir() => fs::remove_dir_all(&objects),
            Ok(_) => fs::remove_file(&objects),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        }
        .map_err(|e| io_err("cannot remove", &objects, e))?;
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(Store::with_meta(dir, meta, Access::Write, lock, true))
    }

    /// A brand-new, empty state under an exclusive lock (not yet committed).
    pub fn create(dir: &Path, meta: Meta) -> Result<Store, StoreError> {
        create_private_dir(dir)?;
        let lock = lock_state(dir, true)?;
        Ok(Store::with_meta(dir, meta, Access::Write, lock, true))
    }

    fn with_meta(dir: &Path, meta: Meta, access: Access, lock: File, fresh: bool) -> Store {
        Store {
            dir: dir.to_path_buf(),
            committed: (!fresh).then(|| meta.clone()),
            meta,
            segments: BTreeMap::new(),
            access,
            _lock: lock,
            meta_dirty: fresh,
            texts: Texts::new(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn load(&mut self, key: &str) -> Result<(), StoreError> {
        if self.segments.contains_key(key) {
            return Ok(());
        }
        let mut seg = Segment::default();
        if let Some(file) = self.meta.segments.get(key) {
            let path = self.dir.join("objects").join(file);
            let file = File::open(&path).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => corrupt(
                    &self.dir,
                    format!("{}: missing, though meta.json names it", path.display()),
                ),
                _ => io_err("cannot read state", &path, e),
            })?;
            // Mapped, not read: a 40 MB segment is not copied into fresh memory. Segment files
            // are never changed once written (a commit writes new ones) and the state is
            // locked while open.
            // SAFETY: the mapping is read-only and dropped at the end of this load; nothing
            // writes to a segment file after its commit.
            let map = unsafe { memmap2::Mmap::map(&file) }
                .map_err(|e| io_err("cannot read state", &path, e))?;
            let bytes: &[u8] = &map;
            let corrupt = |e: serde_json::Error| {
                StoreError(format!(
                    "the state at {} is corrupt ({}: {e}); run `kubesim reset` to start over",
                    self.dir.display(),
                    path.display()
                ))
            };
            // Objects stay in their text until someone reads them: `get pod X` or `describe
            // pod X` on 10,000 pods parses one pod, not all of them. Events are not in the
            // controller index (nothing lists them by owner).
            #[derive(Deserialize)]
            struct Ref<'a> {
                #[serde(default)]
                controller: Option<bool>,
                #[serde(borrow, default)]
                uid: std::borrow::Cow<'a, str>,
            }
            #[derive(Deserialize, Default)]
            struct Md<'a> {
                #[serde(borrow, default)]
                name: std::borrow::Cow<'a, str>,
                #[serde(borrow, default, rename = "ownerReferences")]
                owner_references: Vec<Ref<'a>>,
            }
            #[derive(Deserialize, Default)]
            struct Sp<'a> {
                #[serde(borrow, default, rename = "nodeName")]
                node_name: std::borrow::Cow<'a, str>,
            }
            #[derive(Deserialize)]
            struct Named<'a> {
                #[serde(borrow, default)]
                metadata: Md<'a>,
                #[serde(borrow, default)]
                spec: Option<Sp<'a>>,
            }
            let indexed = !key.starts_with("events.");
            // One pass: each object's slim fields and where its text is.
            let items: Vec<(Named, &str)> = split_array(bytes).map_err(corrupt)?;
            // A big segment stays where it is: its objects are read from the open file.
            let in_place = bytes.len() > self.texts.load_in_place_after;
            let src = self.texts.files.len();
            for (n, text) in items {
                let name = n.metadata.name.into_owned();
                if indexed {
                    let refs = &n.metadata.owner_references;
                    let controller = refs.iter().find(|r| r.controller == Some(true));
                    index_insert(
                        &mut seg.by_controller,
                        controller.map_or("", |r| r.uid.as_ref()),
                        &name,
                    );
                    for r in refs.iter().filter(|r| r.controller != Some(true)) {
                        index_insert(&mut seg.by_owner, &r.uid, &name);
                    }
                    if let Some(sp) = n.spec.as_ref().filter(|sp| !sp.node_name.is_empty()) {
                        index_insert(&mut seg.by_node, &sp.node_name, &name);
                    }
                }
                let p = if in_place {
                    Packed::File {
                        src,
                        off: (text.as_ptr() as usize - bytes.as_ptr() as usize) as u64,
                        len: text.len(),
                    }
                } else {
                    self.texts.mem_bytes += text.len();
                    Packed::Mem(text.into())
                };
                seg.packed.insert(name, p);
            }
            if in_place {
                self.texts.files.push(file);
                self.texts.maps.push(Some(map));
            }
        }
        self.segments.insert(key.to_string(), seg);
        Ok(())
    }

    /// The namespaces that hold objects of `plural` (`""` for cluster-scoped).
    pub fn namespaces_of(&self, plural: &str) -> Vec<String> {
        let prefix = format!("{plural}.");
        let mut out: Vec<String> = self
            .meta
            .segments
            .keys()
            .chain(self.segments.keys())
            .filter_map(|k| k.strip_prefix(&prefix))
            .map(|ns| {
                if ns == "_" {
                    String::new()
                } else {
                    ns.to_string()
                }
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// One object, if present.
    pub fn get(
        &mut self,
        plural: &str,
        ns: &str,
        name: &str,
    ) -> Result<Option<&Value>, StoreError> {
        let key = seg_key(plural, ns);
        self.load(&key)?;
        let seg = self.segments.get_mut(&key).expect("loaded");
        seg.unpack(&mut self.texts, name);
        Ok(seg.objects.get(name).map(|v| &**v))
    }

    /// The segments a list of `plural` in `ns` (`None`: every namespace) reads, in order.
    fn list_keys(&self, plural: &str, ns: Option<&str>) -> Vec<String> {
        match ns {
            Some(ns) => vec![seg_key(plural, ns)],
            None => self
                .namespaces_of(plural)
                .iter()
                .map(|ns| seg_key(plural, ns))
                .collect(),
        }
    }

    /// How many objects of `plural` the state holds, in every namespace. Loads the segments
    /// it has not loaded yet (split into objects, none parsed); then it costs a lookup per
    /// namespace.
    pub fn count(&mut self, plural: &str) -> Result<usize, StoreError> {
        let mut n = 0;
        for k in self.list_keys(plural, None) {
            self.load(&k)?;
            let seg = &self.segments[&k];
            n += seg.objects.len() + seg.packed.len();
        }
        Ok(n)
    }

    /// All objects of `plural` in `ns` (or in every namespace with `None`), sorted by
    /// namespace then name, as the API server lists them.
    pub fn list(&mut self, plural: &str, ns: Option<&str>) -> Result<Vec<&Value>, StoreError> {
        let keys = self.list_keys(plural, ns);
        for k in &keys {
            self.load(k)?;
            self.segments
                .get_mut(k)
                .expect("loaded")
                .unpack_all(&mut self.texts);
        }
        Ok(keys
            .iter()
            .flat_map(|k| self.segments[k].objects.values().map(|v| &**v))
            .collect())
    }

    /// [`list`](Self::list) into owned values. A read-only store hands its objects over
    /// (they leave it: nothing is committed, and a 10,000-pod list is not copied); a
    /// writable one copies them.
    pub fn take_list(&mut self, plural: &str, ns: Option<&str>) -> Result<Vec<Value>, StoreError> {
        if self.access == Access::Write {
            return Ok(self.list(plural, ns)?.into_iter().cloned().collect());
        }
        self.list(plural, ns)?;
        let keys = self.list_keys(plural, ns);
        let mut out = Vec::new();
        for k in keys {
            if let Some(seg) = self.segments.get_mut(&k) {
                seg.by_controller.clear();
                seg.by_owner.clear();
                seg.by_node.clear();
                out.extend(
                    std::mem::take(&mut seg.objects)
                        .into_values()
                        .map(Arc::unwrap_or_clone),
                );
            }
        }
        Ok(out)
    }

    /// The objects of `plural` in `ns` whose controller has `uid` (`""`: those without a
    /// controller), sorted by name. Uses the index, never a scan.
    pub fn list_controlled(
        &mut self,
        plural: &str,
        ns: &str,
        uid: &str,
    ) -> Result<Vec<&Value>, StoreError> {
        let key = seg_key(plural, ns);
        self.load(&key)?;
        let seg = self.segments.get_mut(&key).expect("loaded");
        if let Some(names) = seg.by_controller.get(uid) {
            let packed: Vec<String> = names
                .iter()
                .filter(|n| seg.packed.contains_key(*n))
                .cloned()
                .collect();
            for n in packed {
                seg.unpack(&mut self.texts, &n);
            }
        }
        let seg = &self.segments[&key];
        Ok(seg
            .by_controller
            .get(uid)
            .map(|names| {
                names
                    .iter()
                    .filter_map(|n| seg.objects.get(n).map(|v| &**v))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// The objects of `plural` in `ns` that have an owner with `uid` (controller or not),
    /// sorted by name, copied. Uses the indexes, never a scan.
    pub fn list_owned(
        &mut self,
        plural: &str,
        ns: &str,
        uid: &str,
    ) -> Result<Vec<Value>, StoreError> {
        // Events are not indexed by owner (see `load`): the garbage collector, which asks every
        // kind, does not load 60,000 of them to find none.
        if plural == "events" {
            return Ok(Vec::new());
        }
        let key = seg_key(plural, ns);
        self.load(&key)?;
        let seg = self.segments.get_mut(&key).expect("loaded");
        if uid.is_empty() {
            return Ok(Vec::new());
        }
        let names: std::collections::BTreeSet<String> = [&seg.by_controller, &seg.by_owner]
            .into_iter()
            .filter_map(|index| index.get(uid))
            .flatten()
            .cloned()
            .collect();
        let mut out = Vec::with_capacity(names.len());
        for n in &names {
            if let Some(v) = seg.objects.get(n) {
                out.push((**v).clone());
            } else if let Some(p) = seg.packed.get(n) {
                out.push(self.texts.value(p));
            }
        }
        Ok(out)
    }

    /// Hands every object of `plural` (in any namespace) whose `spec.nodeName` is `node` to
    /// `f`, packed ones parsed for the call and left packed. Uses the index, never a scan.
    pub fn for_each_on_node(
        &mut self,
        plural: &str,
        node: &str,
        mut f: impl FnMut(&Value),
    ) -> Result<(), StoreError> {
        for k in self.list_keys(plural, None) {
            self.load(&k)?;
            let seg = &self.segments[&k];
            for n in seg.by_node.get(node).into_iter().flatten() {
                if let Some(v) = seg.objects.get(n) {
                    f(v);
                } else if let Some(p) = seg.packed.get(n) {
                    f(&self.texts.value(p));
                }
            }
        }
        Ok(())
    }

    /// Decodes the objects of `plural` in `ns` whose controller has `uid` (as
    /// [`list_controlled`](Self::list_controlled)) into `T`, packed ones straight from their
    /// text: reading a view does not turn an object at rest back into a tree of values.
    pub fn decode_controlled<T: serde::de::DeserializeOwned>(
        &mut self,
        plural: &str,
        ns: &str,
        uid: &str,
    ) -> Result<Vec<T>, StoreError> {
        let key = seg_key(plural, ns);
        self.load(&key)?;
        let seg = &self.segments[&key];
        let Some(names) = seg.by_controller.get(uid) else {
            return Ok(Vec::new());
        };
        let bad = |n: &str, e: serde_json::Error| {
            StoreError(format!("internal error: cannot decode {plural} {n}: {e}"))
        };
        let mut out = Vec::with_capacity(names.len());
        for n in names {
            if let Some(v) = seg.objects.get(n) {
                out.push(T::deserialize(&**v).map_err(|e| bad(n, e))?);
            } else if let Some(p) = seg.packed.get(n) {
                let text = self
                    .texts
                    .read(p)
                    .map_err(|e| StoreError(format!("cannot read state: {e}")))?;
                out.push(serde_json::from_str(&text).map_err(|e| bad(n, e))?);
            }
        }
        Ok(out)
    }

    /// Keeps an object that is at rest (nothing will read it whole soon) as JSON text instead
    /// of a tree of values: a pod's tree takes ~17 KB, its text ~2.4 KB. Objects someone else
    /// still holds (the watch log) stay as they are. The next whole read turns it back.
    pub fn pack(&mut self, plural: &str, ns: &str, name: &str) {
        let key = seg_key(plural, ns);
        let Some(seg) = self.segments.get_mut(&key) else {
            return;
        };
        let Some(v) = seg.objects.get(name) else {
            return;
        };
        if Arc::strong_count(v) != 1 || Arc::weak_count(v) != 0 {
            return;
        }
        let Ok(text) = serde_json::to_string(&**v) else {
            return;
        };
        seg.objects.remove(name);
        let p = self.texts.pack(&self.dir, text);
        seg.packed.insert(name.to_string(), p);
    }

    /// Hands every object of `plural` in `ns` to `f` as JSON text (packed ones first), without
    /// turning packed objects into values (for indexes over many objects, like the Events').
    pub fn for_each_text(
        &mut self,
        plural: &str,
        ns: &str,
        mut f: impl FnMut(&str),
    ) -> Result<(), StoreError> {
        self.for_each_held(plural, ns, |h| match h {
            Held::Text(t) => f(t),
            Held::Tree(v) => f(&v.to_string()),
        })
    }

    /// Hands every object of `plural` in `ns` to `f` as it is held: a packed one as its JSON
    /// text, then the trees of values as they are (neither is converted to the other).
    pub fn for_each_held(
        &mut self,
        plural: &str,
        ns: &str,
        mut f: impl FnMut(Held<'_>),
    ) -> Result<(), StoreError> {
        let key = seg_key(plural, ns);
        self.load(&key)?;
        let seg = &self.segments[&key];
        for p in seg.packed.values() {
            f(Held::Text(&self.texts.read(p).map_err(|e| {
                StoreError(format!("cannot read state: {e}"))
            })?));
        }
        for v in seg.objects.values() {
            f(Held::Tree(v));
        }
        Ok(())
    }

    /// Hands every object of `plural` in `ns` (every namespace with `None`) to `f` in list
    /// order (namespace, then name), one at a time: an object at rest is parsed for the call
    /// and stays at rest, so reading 60,000 Events holds one of them as a tree at a time.
    pub fn for_each_listed(
        &mut self,
        plural: &str,
        ns: Option<&str>,
        mut f: impl FnMut(&Value),
    ) -> Result<(), StoreError> {
        for key in self.list_keys(plural, ns) {
            self.load(&key)?;
            let seg = &self.segments[&key];
            let mut trees = seg.objects.iter().peekable();
            let mut texts = seg.packed.iter().peekable();
            loop {
                let tree_first = match (trees.peek(), texts.peek()) {
                    (Some((a, _)), Some((b, _))) => a < b,
                    (Some(_), None) => true,
                    (None, Some(_)) => false,
                    (None, None) => break,
                };
                if tree_first {
                    let (_, v) = trees.next().expect("peeked");
                    f(v);
                } else {
                    let (_, p) = texts.next().expect("peeked");
                    let text = self
                        .texts
                        .read(p)
                        .map_err(|e| StoreError(format!("cannot read state: {e}")))?;
                    let v: Value = serde_json::from_str(&text)
                        .map_err(|e| StoreError(format!("cannot read state: {e}")))?;
                    f(&v);
                }
            }
        }
        Ok(())
    }

    /// Hands the JSON text of every object of `plural` in `ns` whose name starts with
    /// `prefix` to `f`, in name order: a range of the sorted names, not a scan (an Event is
    /// named after the object it is about, `<name>.<hex>`).
    pub fn for_each_text_named(
        &mut self,
        plural: &str,
        ns: &str,
        prefix: &str,
        mut f: impl FnMut(&str),
    ) -> Result<(), StoreError> {
        let key = seg_key(plural, ns);
        self.load(&key)?;
        let seg = &self.segments[&key];
        let mut names = names_from(&seg.packed, prefix);
        names.extend(names_from(&seg.objects, prefix));
        names.sort();
        for n in names {
            if let Some(p) = seg.packed.get(&n) {
                f(&self
                    .texts
                    .read(p)
                    .map_err(|e| StoreError(format!("cannot read state: {e}")))?);
            } else if let Some(v) = seg.objects.get(&n) {
                f(&v.to_string());
            }
        }
        Ok(())
    }

    /// Inserts or replaces an object.
    pub fn put(&mut self, plural: &str, ns: &str, obj: Value) -> Result<(), StoreError> {
        self.put_shared(plural, ns, Arc::new(obj))
    }

    /// [`put`](Self::put) of an object shared with the caller (the watch log).
    pub fn put_shared(
        &mut self,
        plural: &str,
        ns: &str,
        obj: Arc<Value>,
    ) -> Result<(), StoreError> {
        let key = seg_key(plural, ns);
        self.load(&key)?;
        let name = obj
            .ptr("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let seg = self.segments.get_mut(&key).expect("loaded");
        if let Some(old) = seg.take(&mut self.texts, &name) {
            seg.index_remove(&name, &old);
        }
        seg.index_add(&name, &obj);
        seg.objects.insert(name, obj);
        seg.dirty = true;
        Ok(())
    }

    /// Takes an object out of the store to change it (put it back with
    /// [`put_shared`](Self::put_shared)); while nobody else holds it, `Arc::make_mut`
    /// changes it in place.
    pub fn take_shared(
        &mut self,
        plural: &str,
        ns: &str,
        name: &str,
    ) -> Result<Option<Arc<Value>>, StoreError> {
        let key = seg_key(plural, ns);
        self.load(&key)?;
        let seg = self.segments.get_mut(&key).expect("loaded");
        let old = seg.take(&mut self.texts, name);
        if let Some(o) = &old {
            seg.index_remove(name, o);
            seg.dirty = true;
        }
        Ok(old)
    }

    /// Like [`put`](Self::put), for objects that are seldom read back in the same command
    /// (Events): the store keeps them in their serialized form until someone reads them.
    /// Packed objects are not in the controller index (nothing lists Events by owner).
    pub fn put_packed(&mut self, plural: &str, ns: &str, obj: &Value) -> Result<(), StoreError> {
        let name = obj
            .ptr("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let text = serde_json::to_string(obj)
            .map_err(|e| StoreError(format!("cannot encode {name}: {e}")))?;
        self.put_packed_text(plural, ns, name, text)
    }

    /// [`put_packed`](Self::put_packed) of an object already in its JSON text.
    pub fn put_packed_text(
        &mut self,
        plural: &str,
        ns: &str,
        name: String,
        text: String,
    ) -> Result<(), StoreError> {
        let key = seg_key(plural, ns);
        self.load(&key)?;
        let seg = self.segments.get_mut(&key).expect("loaded");
        if let Some(old) = seg.take(&mut self.texts, &name) {
            seg.index_remove(&name, &old);
        }
        let p = self.texts.pack(&self.dir, text);
        seg.packed.insert(name, p);
        seg.dirty = true;
        Ok(())
    }

    /// The stored object `name`, to change in place (`Arc::make_mut`: a copy only while the
    /// watch log still holds it). Its name, owners and node must stay as they are (the
    /// indexes are not updated); the segment is marked changed.
    pub fn object_mut(
        &mut self,
        plural: &str,
        ns: &str,
        name: &str,
    ) -> Result<Option<&mut Arc<Value>>, StoreError> {
        let key = seg_key(plural, ns);
        self.load(&key)?;
        let seg = self.segments.get_mut(&key).expect("loaded");
        seg.unpack(&mut self.texts, name);
        let obj = seg.objects.get_mut(name);
        if obj.is_some() {
            seg.dirty = true;
        }
        Ok(obj)
    }

    /// Removes objects by name without reading them (a packed one is not parsed): what
    /// expires is dropped unread. Returns how many were there.
    pub fn discard(
        &mut self,
        plural: &str,
        ns: &str,
        names: &[String],
    ) -> Result<usize, StoreError> {
        let key = seg_key(plural, ns);
        self.load(&key)?;
        let seg = self.segments.get_mut(&key).expect("loaded");
        let mut n = 0;
        for name in names {
            if let Some(p) = seg.packed.remove(name) {
                self.texts.forget(&p);
                n += 1;
            } else if let Some(v) = seg.objects.remove(name) {
                seg.index_remove(name, &v);
                n += 1;
            }
        }
        if n > 0 {
            seg.dirty = true;
        }
        Ok(n)
    }

    /// Removes an object; returns it if it was there.
    pub fn remove(
        &mut self,
        plural: &str,
        ns: &str,
        name: &str,
    ) -> Result<Option<Value>, StoreError> {
        Ok(self
            .take_shared(plural, ns, name)?
            .map(Arc::unwrap_or_clone))
    }

    /// Marks the manifest as changed (clock, counters, settings).
    pub fn touch_meta(&mut self) {
        self.meta_dirty = true;
    }

    /// Whether anything would be written by [`commit`](Self::commit).
    pub fn is_dirty(&self) -> bool {
        self.segments.values().any(|s| s.dirty)
            || (self.meta_dirty && self.committed.as_ref() != Some(&self.meta))
    }

    /// The manifest on disk must still be the one this command read (or none, for a state
    /// being created): otherwise another writer committed in between, and this commit would
    /// reuse its generation.
    fn check_generation(&self) -> Result<(), StoreError> {
        #[derive(Deserialize)]
        struct Gen {
            generation: u64,
        }
        let meta_path = self.dir.join("meta.json");
        let on_disk = match fs::read(&meta_path) {
            Ok(b) => serde_json::from_slice::<Gen>(&b).ok().map(|g| g.generation),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(io_err("cannot read state", &meta_path, e)),
        };
        let expected = self.committed.as_ref().map(|m| m.generation);
        // A fresh state over a missing manifest, or the manifest this command read.
        if on_disk == expected || (expected.is_none() && on_disk.is_none()) {
            return Ok(());
        }
        Err(StoreError(format!(
            "the state at {} was changed by another command while this one ran; \
             nothing was written",
            self.dir.display()
        )))
    }

    /// Writes every changed segment and then the manifest, atomically (see the module doc).
    /// A failure is also remembered for the process ([`commit_failed`]).
    pub fn commit(&mut self) -> Result<(), StoreError> {
        let r = self.commit_inner();
        if r.is_err() {
            COMMIT_FAILED.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        r
    }

    fn commit_inner(&mut self) -> Result<(), StoreError> {
        if self.access != Access::Write {
            return Err(StoreError(
                "internal error: commit under a read lock".into(),
            ));
        }
        if !self.is_dirty() {
            return Ok(());
        }
        check_objects_dir(&self.dir)?;
        self.check_generation()?;
        let objects = self.dir.join("objects");
        create_private_dir(&objects)?;
        let gen_ = self.meta.generation + 1;
        let mut meta = self.meta.clone();
        meta.generation = gen_;
        // Changed segments are written by two threads (the machine's cores), largest first:
        // at scale the pods and the events are most of the bytes.
        let mut work: Vec<(&String, &Segment)> = Vec::new();
        for (key, seg) in &self.segments {
            if !seg.dirty {
                continue;
            }
            if seg.is_empty() {
                meta.segments.remove(key);
                continue;
            }
            work.push((key, seg));
        }
        work.sort_by_key(|(k, s)| (std::cmp::Reverse(s.objects.len() + s.packed.len()), *k));
        self.texts
            .flush_spill()
            .map_err(|e| io_err("cannot write", &objects, e))?;
        let new_files: Vec<PathBuf> = work
            .iter()
            .map(|(key, _)| objects.join(format!("{key}.{gen_}.json")))
            .collect();
        let tmp = self.dir.join("meta.json.tmp");
        // A failed write leaves nothing behind: the new generation's files go at once.
        let undo = |e: StoreError| {
            for f in new_files.iter().chain([&tmp]) {
                let _ = fs::remove_file(f);
            }
            e
        };
        for (key, _) in &work {
            meta.segments
                .insert((*key).clone(), format!("{key}.{gen_}.json"));
        }
        let meta_bytes = serde_json::to_vec_pretty(&meta)
            .map_err(|e| undo(StoreError(format!("cannot encode meta.json: {e}"))))?;
        stage_files(&work, &new_files, &self.texts, &tmp, &meta_bytes).map_err(undo)?;
        test_pause("manifest-staged");
        let meta_path = self.dir.join("meta.json");
        // The generation is checked again just before the commit point (the lock makes
        // this a formality; it is what keeps two writers from the same generation if the
        // lock ever failed).
        self.check_generation().map_err(undo)?;
        // The commit point.
        fs::rename(&tmp, &meta_path).map_err(|e| undo(io_err("cannot write", &meta_path, e)))?;
        if let Ok(d) = File::open(&self.dir) {
            let _ = d.sync_all();
        }
        test_pause("committed");
        // Remove segment files no manifest refers to any more (best effort): only names a
        // commit writes; symbolic links are removed, never followed.
        let live: std::collections::BTreeSet<&String> = meta.segments.values().collect();
        if let Ok(rd) = fs::read_dir(&objects) {
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                let ours = segment_generation(&name).is_some() || name.starts_with(".spill.");
                if ours && !live.contains(&name) {
                    let _ = fs::remove_file(e.path());
                }
            }
        }
        self.committed = Some(meta.clone());
        self.meta = meta;
        for seg in self.segments.values_mut() {
            seg.dirty = false;
        }
        self.meta_dirty = false;
        Ok(())
    }
}

/// Test-only hook, not for users: `KUBESIM_TEST_COMMIT_PAUSE_MS=<ms>@<stage>` makes every
/// commit stop for `<ms>` milliseconds at `<stage>`, after announcing it on stderr as
/// `kubesim-test: commit paused: <stage>`, so a test can kill the process exactly there
/// (tests/scenarios.rs, `kill_dash_nine_never_leaves_half_a_command`). The stages:
/// `segment-written` (after each new segment file, while others may not be written yet),
/// `manifest-staged` (every segment and `meta.json.tmp` written, just before the rename that
/// is the commit point), `committed` (just after it, before old segment files are removed).
/// The variable is read once per process; unset, a commit pays one initialised-`OnceLock` read.
fn test_pause(stage: &str) {
    type Pause = Option<(std::time::Duration, String)>;
    static PAUSE: std::sync::OnceLock<Pause> = std::sync::OnceLock::new();
    let pause = PAUSE.get_or_init(|| {
        let v = std::env::var("KUBESIM_TEST_COMMIT_PAUSE_MS").ok()?;
        let (ms, at) = v.split_once('@')?;
        Some((
            std::time::Duration::from_millis(ms.parse().ok()?),
            at.to_string(),
        ))
    });
    if let Some((d, at)) = pause
        && at == stage
    {
        eprintln!("kubesim-test: commit paused: {stage}");
        std::thread::sleep(*d);
    }
}

/// Takes the state's lock: `flock` on the state directory itself (exclusive for writers,
/// shared for readers), so that no file deleted or replaced under a running command can let
/// a second writer in beside it. Where directories cannot be opened as files, a `.lock` file
/// in it, opened without following a symbolic link.
fn lock_state(dir: &Path, exclusive: bool) -> Result<File, StoreError> {
    #[cfg(unix)]
    let f = File::open(dir).map_err(|e| io_err("cannot lock", dir, e))?;
    #[cfg(not(unix))]
    let f = {
        let path = dir.join(".lock");
        let mut o = OpenOptions::new();
        o.read(true).write(true).create(true).truncate(false);
        o.open(&path).map_err(|e| io_err("cannot open", &path, e))?
    };
    if exclusive { f.lock() } else { f.lock_shared() }
        .map_err(|e| io_err("cannot lock", dir, e))?;
    Ok(f)
}

/// The message of every corrupt-state error: what is wrong, where, and the way out.
fn corrupt(dir: &Path, what: impl std::fmt::Display) -> StoreError {
    StoreError(format!(
        "the state at {} is corrupt ({what}); run `kubesim reset` to start over",
        dir.display()
    ))
}

/// A state of another store format than this binary's.
fn other_format(dir: &Path, format: u64) -> StoreError {
    StoreError(format!(
        "the state at {} has format {format}, but this kubesim reads format {FORMAT}; \
         use a matching kubesim or run `kubesim reset`",
        dir.display()
    ))
}

/// The user's settings of the state at `dir` (`None` when there is no state yet), read
/// without the lock and without creating anything: `meta.json` is only ever replaced whole
/// (a rename), so what is read is one commit's manifest. A manifest that does not read is
/// the same corrupt-state error [`Store::open`] gives.
pub fn peek_settings(dir: &Path) -> Result<Option<BTreeMap<String, String>>, StoreError> {
    #[derive(Deserialize)]
    struct Peek {
        #[serde(default)]
        format: u32,
        #[serde(default)]
        settings: BTreeMap<String, String>,
    }
    let meta_path = dir.join("meta.json");
    let bytes = match fs::read(&meta_path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_err("cannot read state", &meta_path, e)),
    };
    let peek: Peek = serde_json::from_slice(&bytes)
        .map_err(|e| corrupt(dir, format!("{}: {e}", meta_path.display())))?;
    if peek.format != FORMAT {
        return Err(other_format(dir, peek.format.into()));
    }
    Ok(Some(peek.settings))
}

/// Reads and checks `meta.json` (`None` when there is none).
fn read_meta(dir: &Path) -> Result<Option<Meta>, StoreError> {
    let meta_path = dir.join("meta.json");
    let bytes = match fs::read(&meta_path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_err("cannot read state", &meta_path, e)),
    };
    let at = meta_path.display();
    let probe: Value =
        serde_json::from_slice(&bytes).map_err(|e| corrupt(dir, format!("{at}: {e}")))?;
    let format = probe.get("format").and_then(Value::as_u64).unwrap_or(0);
    if format != FORMAT as u64 {
        return Err(other_format(dir, format));
    }
    let meta: Meta =
        serde_json::from_value(probe).map_err(|e| corrupt(dir, format!("{at}: {e}")))?;
    meta.check()
        .map_err(|e| corrupt(dir, format!("{at}: {e}")))?;
    Ok(Some(meta))
}

/// The largest resourceVersion or generation a state may hold: etcd's revisions are int64.
const MAX_COUNTER: u64 = i64::MAX as u64;

impl Meta {
    /// What the manifest's types alone do not say: counters with room to grow, times that
    /// are times, segment files that are plain names under `objects/`.
    pub fn check(&self) -> Result<(), String> {
        for (what, n) in [
            ("resource_version", self.resource_version),
            ("generation", self.generation),
        ] {
            if n >= MAX_COUNTER {
                return Err(format!(
                    "{what} {n} is out of range (at most {})",
                    MAX_COUNTER - 1
                ));
            }
        }
        if let Some((key, n)) = self.names.iter().find(|(_, n)| **n >= MAX_COUNTER) {
            return Err(format!(
                "names counter {key:?} {n} is out of range (at most {})",
                MAX_COUNTER - 1
            ));
        }
        let times = [
            ("clock", Some(&self.clock)),
            ("created", Some(&self.created)),
        ];
        for (what, t) in times
            .into_iter()
            .chain([("wall_anchor", self.wall_anchor.as_ref())])
            .chain([(
                "event_sweep",
                self.event_sweep.as_ref().filter(|s| s.as_str() != "none"),
            )])
        {
            if let Some(t) = t
                && t.parse::<jiff::Timestamp>().is_err()
            {
                return Err(format!("{what} {t:?} is not an RFC 3339 time"));
            }
        }
        for (key, file) in &self.segments {
            let plain = |s: &str| {
                !s.is_empty()
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
            };
            let gen_ok = file
                .strip_prefix(key.as_str())
                .and_then(|r| r.strip_prefix('.'))
                .and_then(|r| r.strip_suffix(".json"))
                .and_then(|g| g.parse::<u64>().ok())
                .is_some_and(|g| g <= self.generation);
            if !plain(key) || !key.contains('.') || !gen_ok {
                return Err(format!(
                    "segment {key:?} names the file {file:?}, not one of its own"
                ));
            }
        }
        Ok(())
    }
}

/// The generation of a segment file's name (`<plural>.<ns>.<gen>.json`), if it is one.
fn segment_generation(name: &str) -> Option<u64> {
    name.strip_suffix(".json")?.rsplit('.').next()?.parse().ok()
}

/// A state without a manifest must also be without objects: segment files of a generation
/// past the first (the first is the default cluster, written by a creation that may have
/// been cut short) mean the manifest was lost, and starting over would silently drop them.
fn check_no_orphans(dir: &Path) -> Result<(), StoreError> {
    let objects = dir.join("objects");
    let Ok(rd) = fs::read_dir(&objects) else {
        return Ok(());
    };
    let held = rd
        .flatten()
        .filter_map(|e| segment_generation(&e.file_name().to_string_lossy()))
        .any(|g| g > 1);
    if held {
        return Err(StoreError(format!(
            "the state at {} holds objects but no manifest ({} is missing); \
             run `kubesim reset` to start over",
            dir.display(),
            dir.join("meta.json").display()
        )));
    }
    Ok(())
}

/// Refuses to write through an `objects` that is not a plain directory (a symbolic link
/// planted there would make a commit write, and its clean-up delete, somewhere else).
fn check_objects_dir(dir: &Path) -> Result<(), StoreError> {
    let objects = dir.join("objects");
    match fs::symlink_metadata(&objects) {
        Ok(m) if !m.is_dir() => Err(StoreError(format!(
            "the state at {} is unsafe to write: {} is not a directory{}; \
             run `kubesim reset` to start over",
            dir.display(),
            objects.display(),
            if m.file_type().is_symlink() {
                " (a symbolic link)"
            } else {
                ""
            }
        ))),
        _ => Ok(()),
    }
}

/// Creates a directory readable by the owner only (0700).
pub fn create_private_dir(dir: &Path) -> Result<(), StoreError> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
        .map_err(|e| io_err("cannot create state directory", dir, e))
}

/// Creates `path` as a new file (0600) for writing. Whatever is there already (a file left
/// by a crash, a symbolic link planted to make a commit write elsewhere) is removed first,
/// and the file is created exclusively (`O_CREAT|O_EXCL`, which never follows a link).
fn create_fresh(path: &Path) -> Result<File, StoreError> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(io_err("cannot write", path, e));
        }
        _ => {}
    }
    let mut o = OpenOptions::new();
    o.read(true).write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path).map_err(|e| io_err("cannot write", path, e))
}

/// Writes a segment file (0600) straight from the objects, without building its bytes first;
/// the caller syncs it.
fn write_segment(path: &Path, seg: &Segment, texts: &Texts) -> Result<File, StoreError> {
    let f = create_fresh(path)?;
    let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
    seg.write_to(texts, &mut w)
        .and_then(|()| w.flush())
        .map_err(|e| io_err("cannot write", path, e))?;
    w.into_inner()
        .map_err(|e| io_err("cannot write", path, e.into_error()))
}

/// How many of a commit's segment files get an fsync thread of their own (the rest, in a
/// commit that touches more, are synced by the thread that wrote them).
const SYNCS_IN_FLIGHT: usize = 32;

/// Writes a commit's files — every changed segment (`work`, to `files`) and the new manifest
/// as `tmp` — and makes each durable (fsync). Nothing here depends on another file being
/// durable first (only the rename that follows, the commit point, needs all of them), so the
/// fsyncs run at once, each in a thread of its own as soon as its file is written: the
/// filesystem commits them together, and a commit waits for about one fsync instead of one
/// per file. The segments are written by two threads (the machine's cores), largest first.
fn stage_files(
    work: &[(&String, &Segment)],
    files: &[PathBuf],
    texts: &Texts,
    tmp: &Path,
    meta_bytes: &[u8],
) -> Result<(), StoreError> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let in_flight = std::sync::atomic::AtomicUsize::new(0);
    let sync = |f: File, path: &Path| f.sync_all().map_err(|e| io_err("cannot write", path, e));
    std::thread::scope(|sc| {
        let mut syncs = Vec::new();
        let meta = create_fresh(tmp).and_then(|mut f| {
            f.write_all(meta_bytes)
                .map_err(|e| io_err("cannot write", tmp, e))?;
            Ok(f)
        });
        match meta {
            Ok(f) => syncs.push(sc.spawn(move || sync(f, tmp))),
            Err(e) => return Err(e),
        }
        let worker = || -> Result<Vec<_>, StoreError> {
            let mut mine = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((_, seg)) = work.get(i) else {
                    return Ok(mine);
                };
                let path = &files[i];
                let f = write_segment(path, seg, texts)?;
                test_pause("segment-written");
                if in_flight.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < SYNCS_IN_FLIGHT {
                    mine.push(sc.spawn(move || sync(f, path)));
                } else {
                    sync(f, path)?;
                }
            }
        };
        let other = (work.len() > 1).then(|| sc.spawn(worker));
        let mut results = vec![worker()];
        if let Some(h) = other {
            results.push(h.join().unwrap_or_else(|_| Err(panicked())));
        }
        // Every fsync is waited for, even after a failure (the files are removed next).
        let mut first_err = None;
        for r in results {
            match r {
                Ok(hs) => syncs.extend(hs),
                Err(e) => {
                    first_err.get_or_insert(e);
                }
            }
        }
        for h in syncs {
            if let Err(e) = h.join().unwrap_or_else(|_| Err(panicked())) {
                first_err.get_or_insert(e);
            }
        }
        first_err.map_or(Ok(()), Err)
    })
}

fn panicked() -> StoreError {
    StoreError("internal error: a commit thread panicked".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::fields::Fields;
    use serde_json::json;

    fn meta() -> Meta {
        Meta {
            format: FORMAT,
            generation: 0,
            resource_version: 0,
            clock: "2026-01-01T00:00:00Z".into(),
            created: "2026-01-01T00:00:00Z".into(),
            follow_wall_clock: false,
            wall_anchor: None,
            rng: 1,
            names: BTreeMap::new(),
            settings: BTreeMap::new(),
            segments: BTreeMap::new(),
            event_sweep: None,
            engine: Value::Null,
        }
    }

    fn tmpdir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("kubesim-store-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn commit_then_reopen_sees_objects_and_drops_old_segments() {
        let d = tmpdir("roundtrip");
        {
            let mut s = Store::create(&d, meta()).unwrap();
            s.put("pods", "default", json!({"metadata": {"name": "b"}}))
                .unwrap();
            s.put("pods", "default", json!({"metadata": {"name": "a"}}))
                .unwrap();
            s.commit().unwrap();
            s.remove("pods", "default", "a").unwrap();
            s.commit().unwrap();
        }
        let mut s = Store::open(&d, Access::Read).unwrap().unwrap();
        let names: Vec<&str> = s
            .list("pods", None)
            .unwrap()
            .iter()
            .map(|v| v["metadata"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["b"]);
        assert_eq!(fs::read_dir(d.join("objects")).unwrap().count(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(d.join("meta.json"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let _ = fs::remove_dir_all(&d);
    }

    #[test]
    fn packed_text_spills_to_a_file_and_big_segments_load_in_place() {
        let d = tmpdir("spill");
        let ev = |n: &str, c: i64| {
            serde_json::to_string(&json!({"count": c, "metadata": {"name": n}})).unwrap()
        };
        {
            let mut s = Store::create(&d, meta()).unwrap();
            s.texts.spill_after = 40; // the first event stays in memory, the rest spill
            for (i, n) in ["c", "a", "b", "d"].iter().enumerate() {
                s.put_packed_text("events", "default", n.to_string(), ev(n, i as i64))
                    .unwrap();
            }
            assert!(matches!(
                s.segments["events.default"].packed["c"],
                Packed::Mem(_)
            ));
            assert!(matches!(
                s.segments["events.default"].packed["a"],
                Packed::File { .. }
            ));
            // A spilled object is read back (from the unwritten buffer), and replaced.
            assert_eq!(
                s.get("events", "default", "a").unwrap().unwrap()["count"],
                1
            );
            s.put_packed_text("events", "default", "a".into(), ev("a", 7))
                .unwrap();
            s.commit().unwrap();
            // The spill file is gone from the directory (unlinked while open).
            let names: Vec<String> = fs::read_dir(d.join("objects"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            assert_eq!(names, ["events.default.1.json"]);
        }
        let text = fs::read_to_string(d.join("objects/events.default.1.json")).unwrap();
        assert_eq!(
            text,
            format!(
                "[{},{},{},{}]",
                ev("a", 7),
                ev("b", 2),
                ev("c", 0),
                ev("d", 3)
            )
        );
        // Loaded in place: the objects are read from the open file; a commit that changes
        // one object rewrites the segment from the old file.
        let mut s = Store::open(&d, Access::Write).unwrap().unwrap();
        s.texts.load_in_place_after = 0;
        let mut seen = Vec::new();
        s.for_each_text("events", "default", |t| seen.push(t.to_string()))
            .unwrap();
        assert_eq!(seen, [ev("a", 7), ev("b", 2), ev("c", 0), ev("d", 3)]);
        assert!(matches!(
            s.segments["events.default"].packed["b"],
            Packed::File { .. }
        ));
        s.put_packed_text("events", "default", "b".into(), ev("b", 9))
            .unwrap();
        s.commit().unwrap();
        drop(s);
        let text = fs::read_to_string(d.join("objects/events.default.2.json")).unwrap();
        assert_eq!(
            text,
            format!(
                "[{},{},{},{}]",
                ev("a", 7),
                ev("b", 9),
                ev("c", 0),
                ev("d", 3)
            )
        );
        let _ = fs::remove_dir_all(&d);
    }

    #[test]
    fn a_segment_file_splits_into_objects_with_their_exact_text() {
        #[derive(Deserialize, Debug, PartialEq)]
        struct N<'a> {
            #[serde(borrow)]
            n: std::borrow::Cow<'a, str>,
        }
        let ok = |t: &str| -> Vec<(String, String)> {
            split_array::<N>(t.as_bytes())
                .unwrap()
                .into_iter()
                .map(|(v, text)| (v.n.into_owned(), text.to_string()))
                .collect()
        };
        assert_eq!(
            ok(r#"[{"n":"a","x":[1,{"y":"]}"}]},{"z":null,"n":"b"}]"#),
            [
                ("a".into(), r#"{"n":"a","x":[1,{"y":"]}"}]}"#.into()),
                ("b".into(), r#"{"z":null,"n":"b"}"#.into())
            ]
        );
        assert_eq!(ok(" [ {\"n\":\"a\"} ,\n{\"n\":\"b\"} ] \n").len(), 2);
        assert!(ok("[]").is_empty() && ok(" [ ] ").is_empty());
        for bad in [
            "",
            "{}",
            r#"[{"n":"a"}"#,
            r#"[{"n":"a"} {"n":"b"}]"#,
            r#"[{"n":"a"},]"#,
            r#"[{"n":"a"}] x"#,
            r#"[{"n":"a"#,
            r#"[1]"#,
            r#"[{"m":"a"}]"#,
        ] {
            assert!(split_array::<N>(bad.as_bytes()).is_err(), "{bad}");
        }
    }

    #[test]
    fn owners_and_nodes_are_indexed_from_text_and_writes() {
        let d = tmpdir("owners");
        let pod = |n: &str, node: &str| {
            json!({"kind": "Pod", "metadata": {"name": n, "ownerReferences": [
                {"uid": "node-uid", "kind": "Node"},
                {"uid": format!("rs-{n}"), "controller": true}]},
                "spec": {"nodeName": node}})
        };
        {
            let mut s = Store::create(&d, meta()).unwrap();
            s.put("pods", "a", pod("p1", "n1")).unwrap();
            s.put("pods", "b", pod("p2", "n1")).unwrap();
            s.put("pods", "b", pod("p3", "n2")).unwrap();
            s.commit().unwrap();
        }
        let mut s = Store::open(&d, Access::Write).unwrap().unwrap();
        let owned = |s: &mut Store, ns: &str, uid: &str| -> Vec<String> {
            s.list_owned("pods", ns, uid)
                .unwrap()
                .iter()
                .map(name_of_test)
                .collect()
        };
        let on = |s: &mut Store, node: &str| -> Vec<String> {
            let mut out = Vec::new();
            s.for_each_on_node("pods", node, |v| out.push(name_of_test(v)))
                .unwrap();
            out
        };
        // From the loaded text: a non-controller owner, a controller, a node.
        assert_eq!(owned(&mut s, "b", "node-uid"), ["p2", "p3"]);
        assert_eq!(owned(&mut s, "b", "rs-p3"), ["p3"]);
        assert!(owned(&mut s, "b", "").is_empty());
        assert_eq!(on(&mut s, "n1"), ["p1", "p2"]);
        // Reading them left them at rest.
        assert!(s.segments["pods.b"].objects.is_empty());
        // A write moves the entries; a removal drops them.
        s.put("pods", "b", pod("p2", "n2")).unwrap();
        s.take_shared("pods", "a", "p1").unwrap();
        assert_eq!(on(&mut s, "n1"), Vec::<String>::new());
        assert_eq!(on(&mut s, "n2"), ["p2", "p3"]);
        assert_eq!(owned(&mut s, "a", "node-uid"), Vec::<String>::new());
    }

    fn name_of_test(v: &Value) -> String {
        v["metadata"]["name"].as_str().unwrap_or("").to_string()
    }

    #[test]
    fn a_loaded_segment_stays_text_with_its_controller_index() {
        let d = tmpdir("lazy");
        let pod = |n: &str, owner: Option<&str>| {
            let mut p = json!({"kind": "Pod", "metadata": {"name": n}});
            if let Some(u) = owner {
                p.set(
                    "/metadata/ownerReferences",
                    json!([
                        {"uid": "other", "controller": false},
                        {"uid": u, "controller": true}
                    ]),
                )
                .unwrap();
            }
            p
        };
        {
            let mut s = Store::create(&d, meta()).unwrap();
            s.put("pods", "default", pod("a", Some("rs-1"))).unwrap();
            s.put("pods", "default", pod("b", None)).unwrap();
            s.put("pods", "default", pod("c", Some("rs-1"))).unwrap();
            s.commit().unwrap();
        }
        let mut s = Store::open(&d, Access::Read).unwrap().unwrap();
        let names = |v: Vec<&Value>| -> Vec<String> {
            v.iter()
                .map(|o| o["metadata"]["name"].to_string())
                .collect()
        };
        // Reading one object parses that one only.
        assert_eq!(
            s.get("pods", "default", "b").unwrap().unwrap(),
            &pod("b", None)
        );
        let seg = &s.segments["pods.default"];
        assert!(seg.objects.contains_key("b") && seg.packed.contains_key("a"));
        // The index was built from the text: by controller, and the orphans.
        assert_eq!(
            names(s.list_controlled("pods", "default", "rs-1").unwrap()),
            ["\"a\"", "\"c\""]
        );
        assert_eq!(
            names(s.list_controlled("pods", "default", "").unwrap()),
            ["\"b\""]
        );
        assert_eq!(s.list("pods", Some("default")).unwrap().len(), 3);
        drop(s);
        // Loaded in place from a file, and written back by a commit from windows over it,
        // also when the order of the texts in their file is not the order of the names.
        let mut s = Store::open(&d, Access::Write).unwrap().unwrap();
        s.texts.load_in_place_after = 0;
        s.texts.spill_after = 0;
        // Nothing is read before someone asks.
        assert!(!s.segments.contains_key("pods.default"));
        s.get("pods", "default", "a").unwrap();
        assert!(matches!(
            s.segments["pods.default"].packed["c"],
            Packed::File { .. }
        ));
        for n in ["z", "y", "x"] {
            s.put_packed_text("pods", "default", n.into(), pod(n, None).to_string())
                .unwrap();
        }
        s.commit().unwrap();
        drop(s);
        let text = fs::read_to_string(d.join("objects/pods.default.2.json")).unwrap();
        let back: Vec<Value> = serde_json::from_str(&text).unwrap();
        assert_eq!(
            back,
            ["a", "b", "c", "x", "y", "z"]
                .iter()
                .map(|n| pod(n, (*n == "a" || *n == "c").then_some("rs-1")))
                .collect::<Vec<_>>()
        );
        let _ = fs::remove_dir_all(&d);
    }

    #[test]
    fn objects_at_rest_are_packed_and_read_back_unchanged() {
        let d = tmpdir("pack");
        let mut s = Store::create(&d, meta()).unwrap();
        let pod = |n: &str, phase: &str| {
            json!({"metadata": {"name": n, "ownerReferences": [{"controller": true, "uid": "rs-1"}]},
                   "status": {"phase": phase, "podIP": 1.5}})
        };
        s.put("pods", "default", pod("a", "Running")).unwrap();
        s.put("pods", "default", pod("b", "Pending")).unwrap();
        // Held elsewhere (the watch log): stays a tree.
        let held = s.take_shared("pods", "default", "b").unwrap().unwrap();
        s.put_shared("pods", "default", held.clone()).unwrap();
        s.pack("pods", "default", "a");
        s.pack("pods", "default", "b");
        let seg = &s.segments["pods.default"];
        assert!(seg.packed.contains_key("a") && seg.objects.contains_key("b"));
        drop(held);
        // Views decode from either form, in name order, without unpacking.
        #[derive(Deserialize)]
        struct View {
            status: Value,
        }
        let views: Vec<View> = s.decode_controlled("pods", "default", "rs-1").unwrap();
        let phases: Vec<&Value> = views.iter().map(|v| &v.status["phase"]).collect();
        assert_eq!(phases, ["Running", "Pending"]);
        assert!(s.segments["pods.default"].packed.contains_key("a"));
        // A whole read gives the same value back; the commit writes the same bytes.
        assert_eq!(
            s.get("pods", "default", "a").unwrap().unwrap(),
            &pod("a", "Running")
        );
        s.pack("pods", "default", "a");
        s.commit().unwrap();
        assert_eq!(
            fs::read_to_string(d.join("objects/pods.default.1.json")).unwrap(),
            serde_json::to_string(&[pod("a", "Running"), pod("b", "Pending")]).unwrap()
        );
        let _ = fs::remove_dir_all(&d);
    }

    #[test]
    fn manifests_out_of_shape_and_orphaned_objects_are_refused() {
        assert_eq!(meta().check(), Ok(()));
        let bad = |f: &dyn Fn(&mut Meta)| {
            let mut m = meta();
            m.generation = 3;
            f(&mut m);
            m.check().unwrap_err()
        };
        assert!(bad(&|m| m.resource_version = u64::MAX).contains("out of range"));
        assert!(
            bad(&|m| {
                m.names.insert("uid/pods".into(), u64::MAX);
            })
            .contains("names counter \"uid/pods\"")
        );
        assert!(bad(&|m| m.clock = "noon".into()).contains("clock \"noon\""));
        assert!(bad(&|m| m.event_sweep = Some("soon".into())).contains("event_sweep"));
        let seg = |k: &str, f: &str| {
            let (k, f) = (k.to_string(), f.to_string());
            bad(&move |m: &mut Meta| {
                m.segments.insert(k.clone(), f.clone());
            })
        };
        assert!(seg("pods.default", "../pods.default.1.json").contains("not one of its own"));
        assert!(seg("pods.default", "pods.default.4.json").contains("not one of its own"));
        assert!(seg("pods/x.default", "pods/x.default.1.json").contains("not one of its own"));
        let mut m = meta();
        m.generation = 3;
        m.event_sweep = Some("none".into());
        m.segments
            .insert("pods.default".into(), "pods.default.3.json".into());
        assert_eq!(m.check(), Ok(()));
        // Objects past the first generation without a manifest: an error, not "no state".
        let d = tmpdir("orphans");
        create_private_dir(&d.join("objects")).unwrap();
        fs::write(d.join("objects/pods.default.1.json"), b"[]").unwrap();
        assert!(Store::open(&d, Access::Read).unwrap().is_none());
        fs::write(d.join("objects/pods.default.2.json"), b"[]").unwrap();
        let e = Store::open(&d, Access::Write).err().unwrap().to_string();
        assert!(e.contains("holds objects but no manifest"), "{e}");
        let _ = fs::remove_dir_all(&d);
    }

    #[test]
    fn discard_drops_objects_unread() {
        let d = tmpdir("discard");
        let mut s = Store::create(&d, meta()).unwrap();
        for n in ["a", "b"] {
            s.put_packed("events", "default", &json!({"metadata": {"name": n}}))
                .unwrap();
        }
        s.put("events", "default", json!({"metadata": {"name": "c"}}))
            .unwrap();
        let gone = s
            .discard("events", "default", &["a".into(), "c".into(), "z".into()])
            .unwrap();
        assert_eq!(gone, 2);
        assert!(s.segments["events.default"].packed.contains_key("b"));
        assert!(s.segments["events.default"].objects.is_empty());
        let _ = fs::remove_dir_all(&d);
    }

    #[test]
    fn corrupt_and_future_states_are_clear_errors() {
        let d = tmpdir("corrupt");
        create_private_dir(&d).unwrap();
        fs::write(d.join("meta.json"), b"{not json").unwrap();
        let e = Store::open(&d, Access::Read).err().unwrap().to_string();
        assert!(
            e.contains("is corrupt") && e.contains(&d.display().to_string()),
            "{e}"
        );
        fs::write(d.join("meta.json"), br#"{"format": 99}"#).unwrap();
        let e = Store::open(&d, Access::Read).err().unwrap().to_string();
        assert!(e.contains("has format 99"), "{e}");
        let _ = fs::remove_dir_all(&d);
    }
}
