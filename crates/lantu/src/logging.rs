//! The log of the binary: `tracing` events to standard error (standard
//! output stays for results and `--format json`), filtered by `RUST_LOG`
//! (e.g. `RUST_LOG=lantu_web=debug,info`), `info` when it is unset.
//!
//! Lines are written by a thread of their own: a request hands its line
//! over a bounded queue and goes on. Written in place, every request took
//! the lock of standard error and made a `write` there, so one write that
//! stalled (a busy disk, a full pipe, the holder preempted) stalled every
//! request waiting to log behind it: the dashboard's p99 under load. The
//! writer takes what has gathered every [`GATHER`] and writes it with one
//! `write`. The queue holds [`QUEUE`] lines; past that a request waits
//! for room rather than drop its line (every request leaves one). [`Log`]
//! writes out what is queued when the program ends.

use std::io::Write;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::time::Duration;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

/// Lines waiting for the writer at most.
const QUEUE: usize = 16_384;

enum Msg {
    Line(Vec<u8>),
    /// Everything sent before was written: answer.
    Flush(SyncSender<()>),
}

/// Hands each event's line to the writer thread.
struct Queue(SyncSender<Msg>);

/// One event's line, sent when the formatter is done with it.
struct Line<'a> {
    buf: Vec<u8>,
    to: &'a SyncSender<Msg>,
}

impl Write for Line<'_> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for Line<'_> {
    fn drop(&mut self) {
        if self.buf.is_empty() {
            return;
        }
        let line = std::mem::take(&mut self.buf);
        // The writer is gone only if it panicked: write in place then.
        if let Err(std::sync::mpsc::SendError(Msg::Line(line))) = self.to.send(Msg::Line(line)) {
            let _ = std::io::stderr().write_all(&line);
        }
    }
}

impl<'a> MakeWriter<'a> for Queue {
    type Writer = Line<'a>;
    fn make_writer(&'a self) -> Line<'a> {
        Line {
            buf: Vec::new(),
            to: &self.0,
        }
    }
}

/// How long the writer lets lines gather after writing a batch: a steady
/// stream of requests then never has to wake it (a wake-up per line cost
/// more than the write it saved); an idle writer waits for the next line.
const GATHER: Duration = Duration::from_millis(10);

/// Writes queued lines in batches, one flush per batch.
fn write_lines(rx: Receiver<Msg>, mut out: impl Write) {
    let mut waiting = Vec::new();
    while let Ok(mut msg) = rx.recv() {
        loop {
            match msg {
                Msg::Line(l) => {
                    let _ = out.write_all(&l);
                }
                Msg::Flush(done) => waiting.push(done),
            }
            match rx.try_recv() {
                Ok(m) => msg = m,
                Err(_) => break,
            }
        }
        let _ = out.flush();
        for done in waiting.drain(..) {
            let _ = done.send(());
        }
        std::thread::sleep(GATHER);
    }
}

/// The installed log; dropping it writes out every queued line.
pub struct Log(Option<SyncSender<Msg>>);

impl Drop for Log {
    fn drop(&mut self) {
        if let Some(tx) = &self.0 {
            let (done, wait) = sync_channel(1);
            if tx.send(Msg::Flush(done)).is_ok() {
                let _ = wait.recv();
            }
        }
    }
}

/// Installs the subscriber; an unreadable `RUST_LOG` falls back to `info`
/// with a warning.
pub fn init() -> Log {
    let (filter, bad) = match std::env::var("RUST_LOG") {
        Ok(v) if !v.trim().is_empty() => match EnvFilter::try_new(&v) {
            Ok(f) => (f, None),
            Err(e) => (
                EnvFilter::new("info"),
                Some(format!("RUST_LOG={v:?} is not a log filter ({e}); using info")),
            ),
        },
        _ => (EnvFilter::new("info"), None),
    };
    let (tx, rx) = sync_channel(QUEUE);
    let writer = std::thread::Builder::new()
        .name("log".into())
        .spawn(move || write_lines(rx, std::io::BufWriter::with_capacity(64 << 10, std::io::stderr())));
    let fmt = tracing_subscriber::fmt().with_env_filter(filter);
    let (installed, log) = match writer {
        Ok(_) => (fmt.with_writer(Queue(tx.clone())).try_init().is_ok(), Log(Some(tx))),
        // No thread for the writer: write in place.
        Err(_) => (fmt.with_writer(std::io::stderr).try_init().is_ok(), Log(None)),
    };
    if let (true, Some(msg)) = (installed, bad) {
        tracing::warn!("{msg}");
    }
    log
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line comes out once, in order, and a flush answers only after
    /// the lines sent before it were written.
    #[test]
    fn queued_lines_are_written_in_order_before_a_flush_answers() {
        use std::sync::{Arc, Mutex};
        #[derive(Clone, Default)]
        struct Shared(Arc<Mutex<Vec<u8>>>);
        impl Write for Shared {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let out = Shared::default();
        let (tx, rx) = sync_channel(64);
        let sink = out.clone();
        let writer = std::thread::spawn(move || write_lines(rx, std::io::BufWriter::new(sink)));
        let queue = Queue(tx.clone());
        for i in 0..1000 {
            let mut line = queue.make_writer();
            write!(line, "line {i}").unwrap();
            line.write_all(b"\n").unwrap();
        }
        drop(Log(Some(tx)));
        let expected: String = (0..1000).map(|i| format!("line {i}\n")).collect();
        assert_eq!(String::from_utf8(out.0.lock().unwrap().clone()).unwrap(), expected);
        drop(queue);
        writer.join().unwrap();
    }
}
