//! The app's managed state: the open case and, for the demo, the synthetic chain's server.
//!
//! One case is open at a time. The case sits behind an async mutex because the core's `add` and
//! `expand` fetch over HTTP while they hold `&mut Workbench`. The demo server is started on the
//! first `open_demo` (on 127.0.0.1, a free port) and kept alive until the app exits. The label
//! store (`<data dir>/labels.sqlite`) is opened on the first screening and kept open.

use tokio::sync::Mutex;
use tracebench_core::api::layout_journal::{Entry, LayoutJournal};
use tracebench_core::api::{CaseInfo, GraphView, Workbench};
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
    /// Position and viewport changes made while the case was busy (`layout_journal`).
    journal: LayoutJournal,
    /// The open case's file, known without waiting for the case (for the journal).
    case_path: std::sync::Mutex<Option<std::path::PathBuf>>,
    /// Whether a task already waits for the case to replay the journal.
    replay_waiting: std::sync::atomic::AtomicBool,
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
            journal: LayoutJournal::default(),
            case_path: std::sync::Mutex::new(None),
            replay_waiting: std::sync::atomic::AtomicBool::new(false),
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

    /// Makes `workbench` the open case, puts it at the top of the recent-cases list and returns
    /// its graph (drawn after the journal's changes, if any, reached the case).
    pub async fn install(&self, mut workbench: Workbench) -> Result<GraphView, CommandError> {
        workbench.set_user(&self.places.user);
        workbench.set_offline(self.offline.load(std::sync::atomic::Ordering::SeqCst));
        // Changes journaled while this case was busy when the app last ran (killed before they
        // reached it) go in before anything reads the case.
        self.replay(&mut workbench);
        let info = workbench.info();
        let graph = workbench.graph()?;
        *self.case.lock().await = Some(workbench);
        *self
            .case_path
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) =
            Some(std::path::PathBuf::from(&info.path));
        recent::remember(&self.places.config_dir, recent_entry(&info))
            .map_err(|e| CommandError::io("could not update the recent-cases list", e))?;
        Ok(graph)
    }

    /// Turns the offline switch on or off, for the open case and every case opened later.
    pub async fn set_offline(&self, offline: bool) {
        self.offline
            .store(offline, std::sync::atomic::Ordering::SeqCst);
        if let Some(wb) = self.case.lock().await.as_mut() {
            wb.set_offline(offline);
        }
    }

    /// Saves a position or viewport change (autosave): straight into the case when it is free,
    /// after any change journaled before it; into the journal, synced to disk, when a command
    /// holds the case (a fetch over the network), with a task that replays the journal as soon as
    /// the case is free. Bad numbers are refused before either.
    pub fn save_layout(&self, app: &tauri::AppHandle, entry: Entry) -> Result<(), CommandError> {
        entry.check()?;
        if let Ok(mut case) = self.case.try_lock() {
            let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
            if self.journal.pending() {
                self.replay(workbench);
            }
            return Ok(entry.apply(workbench)?);
        }
        let path = self
            .case_path
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
            .ok_or_else(CommandError::no_case)?;
        self.journal
            .append(&path, &entry)
            .map_err(|e| CommandError::io("could not save the layout change", e))?;
        if !self
            .replay_waiting
            .swap(true, std::sync::atomic::Ordering::SeqCst)
        {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                use tauri::Manager;
                let session = app.state::<Session>();
                let mut case = session.case.lock().await;
                // From here a change that finds the case busy starts another wait; one appended
                // meanwhile is in the file this replay reads (the journal serialises both).
                session
                    .replay_waiting
                    .store(false, std::sync::atomic::Ordering::SeqCst);
                if let Some(workbench) = case.as_mut() {
                    session.replay(workbench);
                }
            });
        }
        Ok(())
    }

    /// Applies the journal of the workbench's case, if any. A journal that cannot be applied is
    /// reported on stderr (there is no window to tell at these moments) and, when unreadable,
    /// kept beside the case for inspection.
    fn replay(&self, workbench: &mut Workbench) {
        if let Err(e) = self.journal.replay(workbench) {
            eprintln!("tracebench-app: {e}");
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
