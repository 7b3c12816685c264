//! The usual software comes back. A manager gives the app the SaaS status page (here a page
//! on loopback that answers 503, then 200): the outage tab shows what each check found, and
//! once the page answers, the counter says « Le service est rétabli » and leads to the export.
//! Before any address is given, the app asks nothing of the network.

use crate::support::{app_lock, relais_ok, DataDir};
use crate::window::{expect_contains, expect_eq, with_app, Window};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering};
use std::sync::Arc;

/// A status page on loopback: answers with the status it is set to, counts the requests.
struct StatusPage {
    url: String,
    status: Arc<AtomicU16>,
    requests: Arc<AtomicUsize>,
}

impl StatusPage {
    fn start(status: u16) -> StatusPage {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let url = format!(
            "http://{}/api/status",
            listener.local_addr().expect("its address")
        );
        let page = StatusPage {
            url,
            status: Arc::new(AtomicU16::new(status)),
            requests: Arc::new(AtomicUsize::new(0)),
        };
        let (status, requests) = (page.status.clone(), page.requests.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut request = [0u8; 2048];
                let _ = stream.read(&mut request);
                requests.fetch_add(1, Ordering::SeqCst);
                let code = status.load(Ordering::SeqCst);
                let _ = write!(
                    stream,
                    "HTTP/1.1 {code} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            }
        });
        page
    }
}

#[tokio::test]
async fn the_app_notices_the_usual_software_is_back_and_leads_the_manager_to_the_export() {
    let _one_window = app_lock().await;
    let data = DataDir::new();
    relais_ok(
        &data,
        &["init", "--shop", "Boulangerie Test", "--till", "T1"],
        "",
    );
    relais_ok(
        &data,
        &["staff", "add", "Marie", "--role", "manager"],
        "1234\n",
    );
    relais_ok(
        &data,
        &[
            "outage",
            "start",
            "--reason",
            "Rançongiciel",
            "--operator",
            "Marie",
        ],
        "",
    );
    let page = StatusPage::start(503);
    let (url, status, requests) = (page.url.clone(), page.status.clone(), page.requests.clone());

    with_app("saas_watch", &data, |app| async move {
        let w = Window(app);
        w.log_in("Marie", "1234").await?;
        w.click("menu").await?;
        w.click("menu-recovery").await?;
        w.wait_text("saas-state", |t| t.contains("aucun accès réseau"))
            .await?;
        expect_eq(
            "requests before an address is given",
            requests.load(Ordering::SeqCst),
            0,
        )?;

        w.fill("saas-url", &url).await?;
        w.click("saas-save").await?;
        w.wait_text("saas-state", |t| {
            t.contains("ne répond pas encore (HTTP 503)")
        })
        .await?;
        w.absent("saas-back").await?;
        w.shoot("saas-watch").await?;

        status.store(200, Ordering::SeqCst);
        w.click("saas-check-now").await?;
        w.wait_text("saas-state", |t| t.contains("le service répond (HTTP 200)"))
            .await?;
        w.click("back-to-sale").await?;
        let banner = w.wait_text("saas-back", |t| !t.is_empty()).await?;
        expect_contains(
            "the banner",
            &banner,
            &["Le service est rétabli", "Exporter les ventes de la panne"],
        )?;
        w.shoot("saas-back").await?;
        w.click("saas-back-export").await?;
        w.get("recovery-screen").await.map(|_| ())
    })
    .await;

    let journal = relais_ok(&data, &["journal"], "");
    assert!(
        journal.contains(&format!(
            "Surveillance du logiciel principal : {}",
            page.url
        )),
        "the address is journaled:\n{journal}"
    );
    let shown = relais_ok(&data, &["outage", "show"], "");
    assert!(
        shown.contains(&page.url),
        "relais outage show names the page:\n{shown}"
    );
}
