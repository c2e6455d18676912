//! The app's managed state: the open case and, for the demo, the synthetic chain's server.
//!
//! One case is open at a time. The case sits behind an async mutex because the core's `add` and
//! `expand` fetch over HTTP while they hold `&mut Workbench`. The demo server is started on the
//! first `open_demo` (on 127.0.0.1, a free port) and kept alive until the app exits. The label
//! store (`<data dir>/labels.sqlite`) is opened on the first screening and kept open.

use tokio::sync::Mutex;
use tracebench_core::api::{CaseInfo, Workbench};
use tracebench_labels::{Builtin, LabelStore};

use crate::error::CommandError;
use crate::launch::Launch;
use crate::places::Places;
use crate::recent::{self, RecentCase};

use crate::demo::DemoSource;

pub struct Session {
    pub launch: Launch,
    pub places: Places,
    case: Mutex<Option<Workbench>>,
    demo: Mutex<Option<DemoSource>>,
    labels: Mutex<Option<LabelStore>>,
    /// The offline switch (`commands::evm::set_offline`), applied to every case opened.
    offline: std::sync::atomic::AtomicBool,
}

impl Session {
    pub fn new(launch: Launch, places: Places) -> Session {
        Session {
            launch,
            places,
            case: Mutex::new(None),
            demo: Mutex::new(None),
            labels: Mutex::new(None),
            offline: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// The open case, for a command that needs one.
    pub async fn case(&self) -> tokio::sync::MutexGuard<'_, Option<Workbench>> {
        self.case.lock().await
    }

    /// The demo's source, started on first use.
    pub async fn demo(
        &self,
    ) -> Result<tokio::sync::MappedMutexGuard<'_, DemoSource>, CommandError> {
        let mut demo = self.demo.lock().await;
        if demo.is_none() {
            *demo = Some(DemoSource::start().await?);
        }
        Ok(tokio::sync::MutexGuard::map(demo, |d| {
            d.as_mut().expect("the demo source was started just above")
        }))
    }

    /// The label store, opened on first use. Opening a new store installs the built-in pack,
    /// which takes a second or two: it runs on a blocking thread, never on the UI's.
    pub async fn labels(
        &self,
    ) -> Result<tokio::sync::MappedMutexGuard<'_, LabelStore>, CommandError> {
        let mut labels = self.labels.lock().await;
        if labels.is_none() {
            self.ensure_data_dir()?;
            let path = self.places.label_store();
            let store =
                tokio::task::spawn_blocking(move || LabelStore::open(&path, Builtin::Install))
                    .await
                    .map_err(|e| {
                        CommandError::io("opening the label store was interrupted", e)
                    })??;
            *labels = Some(store);
        }
        Ok(tokio::sync::MutexGuard::map(labels, |l| {
            l.as_mut().expect("the label store was opened just above")
        }))
    }

    /// Makes `workbench` the open case and puts it at the top of the recent-cases list.
    pub async fn install(&self, mut workbench: Workbench) -> Result<(), CommandError> {
        workbench.set_user(&self.places.user);
        workbench.set_offline(self.offline.load(std::sync::atomic::Ordering::SeqCst));
        let info = workbench.info();
        *self.case.lock().await = Some(workbench);
        recent::remember(&self.places.config_dir, recent_entry(&info))
            .map_err(|e| CommandError::io("could not update the recent-cases list", e))?;
        Ok(())
    }

    /// Turns the offline switch on or off, for the open case and every case opened later.
    pub async fn set_offline(&self, offline: bool) {
        self.offline
            .store(offline, std::sync::atomic::Ordering::SeqCst);
        if let Some(wb) = self.case.lock().await.as_mut() {
            wb.set_offline(offline);
        }
    }

    pub fn recent(&self) -> Vec<RecentCase> {
        recent::load(&self.places.config_dir)
    }

    pub fn ensure_data_dir(&self) -> Result<(), CommandError> {
        std::fs::create_dir_all(&self.places.data_dir)
            .map_err(|e| CommandError::io("could not create the data directory", e))
    }
}

fn recent_entry(info: &CaseInfo) -> RecentCase {
    RecentCase {
        path: info.path.clone(),
        title: info.title.clone(),
        case_id: info.case_id.clone(),
        opened_utc: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    }
}
