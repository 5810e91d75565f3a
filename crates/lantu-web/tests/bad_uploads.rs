//! Issue 10's bar for the web: the 1.6 KB sparse workbook and 3 MB zip
//! bombs uploaded on the data-entry page are refused with a message, the
//! server stays up, and its memory grows by less than 100 MB over idle.
//!
//! The server runs in this test's process (this file holds one test, so the
//! process is the server and its client): the peak resident set is reset
//! (`/proc/self/clear_refs`) once the server is idle, and read
//! (`VmHWM`) after the uploads.

mod common;

use common::{start, PASSWORD};
use lantu_data::testing;

/// Growth of the peak resident set over idle allowed, in KiB.
const GROWTH_KIB: u64 = 100 * 1024;

fn status_kib(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Resets the peak resident set to the current one (Linux ≥ 4.0).
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// The entry page's upload form: its action, with what it carries.
fn upload_action(page: &str) -> String {
    let form = page
        .find("enctype=\"multipart/form-data\"")
        .expect("the entry page has an upload form");
    let start = page[..form].rfind("action=\"").expect("the form has an action") + 8;
    let end = start + page[start..].find('"').unwrap();
    page[start..end].replace("&amp;", "&")
}

fn multipart(csrf: &str, filename: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "XlantuBadUploadBoundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\
         Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[test]
fn hostile_workbooks_are_refused_and_the_server_stays_small() {
    let app = start();
    let rep = app.client();
    assert_eq!(rep.login("fgw", PASSWORD).status, 303);
    let page = rep.get(&format!("/entry?plan={}", app.plan));
    assert_eq!(page.status, 200);
    let action = upload_action(&page.body);
    let csrf = page.csrf();

    // The files are made before the idle mark: their bytes are the
    // client's, not the server's.
    let files = [
        (
            "sparse.xlsx",
            testing::sparse_xlsx(),
            // The Chinese interface's message (the technical detail of the
            // bombs below stays as the zip reader words it).
            "XFD1048576 单元格有值，远在使用区域之外",
        ),
        (
            "bomb.xlsx",
            testing::xlsx_bomb(3 << 30, true),
            "would decompress to 3221",
        ),
        (
            "lying-bomb.xlsx",
            testing::xlsx_bomb(3 << 30, false),
            "decompresses to more than the 100000 bytes",
        ),
    ];
    let bodies: Vec<_> = files.iter().map(|(n, b, _)| multipart(&csrf, n, b)).collect();
    assert!(bodies[2].1.len() < 4 << 20, "{} bytes", bodies[2].1.len());
    // Warm up the upload path with a harmless file, then mark idle.
    let (ct, body) = multipart(&csrf, "empty.csv", b"Code,Period,Value\n");
    let warm = rep.post_body(&action, &ct, &body, &[]);
    assert!(matches!(warm.status, 200 | 303), "{}: {}", warm.status, warm.body);
    let measured = reset_peak();
    let idle = status_kib("VmRSS:").unwrap_or(0);

    for ((name, _, says), (ct, body)) in files.iter().zip(&bodies) {
        let r = rep.post_body(&action, ct, body, &[]);
        assert_eq!(r.status, 422, "{name}: {}", r.body);
        let text = r.body.replace("&#96;", "`").replace("&#x60;", "`");
        assert!(text.contains(says), "{name}: {}", r.body);
    }
    // Still up, for everyone.
    let public = app.client().get("/public/");
    assert!(matches!(public.status, 200 | 303), "{}", public.status);
    assert_eq!(rep.get(&format!("/entry?plan={}", app.plan)).status, 200);

    if !measured {
        eprintln!("/proc/self/clear_refs is not writable: memory is not measured");
        return;
    }
    let peak = status_kib("VmHWM:").unwrap_or(0);
    let grew = peak.saturating_sub(idle);
    eprintln!(
        "server process: idle {} MiB, peak during the uploads {} MiB (+{} MiB)",
        idle / 1024,
        peak / 1024,
        grew / 1024
    );
    assert!(grew < GROWTH_KIB, "the peak grew by {grew} KiB over idle");
}
