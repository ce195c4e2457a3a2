//! `ronda-server`: serve the API, add people, load demo data.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};

use ronda_core::RoleAssignment;
use ronda_server::admin;
use ronda_server::auth::TokenKey;
use ronda_server::config::{self, Config};
use ronda_server::http::{self, AppState};
use ronda_server::storage::Storage;
use ronda_server::storage::sqlite::SqliteStorage;
use ronda_server::uploads::UploadConfig;

#[derive(Debug, Parser)]
#[command(name = "ronda-server", version, about = "The Ronda server")]
struct Cli {
    /// Settings file (TOML). See `ronda-server config example`.
    #[arg(long, short, global = true, env = "RONDA_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API.
    Serve,
    /// People and their activation codes.
    #[command(subcommand)]
    User(UserCommand),
    /// Kelurahan boundaries.
    #[command(subcommand)]
    Area(AreaCommand),
    /// Load areas (the given GeoJSON file, else a small built-in set), add demo people of every
    /// role and demo reports; print their activation codes.
    Demo {
        /// Kelurahan boundaries, e.g. ../shared/data/jakarta/kelurahan.geojson.
        #[arg(long)]
        areas: Option<PathBuf>,
    },
    /// Settings.
    #[command(subcommand)]
    Config(ConfigCommand),
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add a person; prints their one-time activation code.
    Add {
        /// Name as people know them.
        #[arg(long)]
        name: String,
        /// A role assignment as JSON, e.g. '{"role":"ketua_rt","rt":"31.71.01.1001/RW 003/RT 007"}'.
        /// Repeat for several; none means warga.
        #[arg(long = "role")]
        roles: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
enum AreaCommand {
    /// Import kelurahan from a GeoJSON FeatureCollection (all of it, or nothing if any feature
    /// is bad).
    Import { file: PathBuf },
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Print a commented example settings file.
    Example,
    /// Print the settings in effect.
    Show,
}

fn load_key(data_dir: &std::path::Path) -> anyhow::Result<TokenKey> {
    let path = data_dir.join("token.key");
    match std::fs::read(&path) {
        Ok(bytes) => {
            let bytes: [u8; 32] = bytes
                .try_into()
                .map_err(|_| anyhow::anyhow!("{} is not a 32-byte key", path.display()))?;
            Ok(TokenKey::from_bytes(bytes))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = TokenKey::random();
            std::fs::create_dir_all(data_dir)?;
            let tmp = path.with_extension("tmp");
            std::fs::write(&tmp, key.bytes())?;
            #[cfg(unix)]
            std::fs::set_permissions(&tmp, std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
            std::fs::rename(&tmp, &path)?;
            Ok(key)
        }
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let config = Config::load(cli.config.as_deref())?;
    match cli.command {
        Command::Config(ConfigCommand::Example) => print!("{}", config::EXAMPLE),
        Command::Config(ConfigCommand::Show) => print!("{}", toml::to_string_pretty(&config)?),
        Command::Serve => serve(config).await?,
        Command::User(UserCommand::Add { name, roles }) => {
            let roles = if roles.is_empty() {
                vec![RoleAssignment::Warga]
            } else {
                roles
                    .iter()
                    .map(|r| serde_json::from_str(r).with_context(|| format!("role {r}")))
                    .collect::<anyhow::Result<_>>()?
            };
            let storage = SqliteStorage::open(config.database_path()?)?;
            let (id, code) = admin::add_user(&storage, &name, roles).await?;
            println!("{name}\t{id}\t{code}");
        }
        Command::Area(AreaCommand::Import { file }) => {
            let storage = SqliteStorage::open(config.database_path()?)?;
            let n = import_areas(&storage, Some(&file)).await?;
            println!("{n} kelurahan");
        }
        Command::Demo { areas } => {
            let storage = SqliteStorage::open(config.database_path()?)?;
            let n = import_areas(&storage, areas.as_deref()).await?;
            eprintln!("{n} kelurahan");
            for (name, code) in admin::demo(&storage).await? {
                println!("{code}\t{name}");
            }
        }
    }
    Ok(())
}

async fn import_areas(
    storage: &SqliteStorage,
    file: Option<&std::path::Path>,
) -> anyhow::Result<usize> {
    let areas = match file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            ronda_server::areas::parse(&text)
                .map_err(|e| anyhow::anyhow!("{}: {} [{}]", path.display(), e, e.code()))?
        }
        None => ronda_server::areas::builtin(),
    };
    let n = areas.len();
    storage
        .write(move |tx| areas.iter().try_for_each(|a| tx.upsert_area(a)))
        .await?;
    Ok(n)
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let storage = SqliteStorage::open(config.database_path()?)?;
    let key = load_key(&config.data_dir)?;
    let uploads = UploadConfig {
        uploads_dir: config.data_dir.join("uploads"),
        blobs_dir: config.data_dir.join("blobs"),
        max_upload_bytes: config.limits.max_upload_bytes,
    };
    let state = AppState::with_lifecycle(
        storage,
        key,
        config.limits.clone(),
        config.lifecycle.clone(),
    );
    let app = http::router(state, uploads);
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("listening on {}", config.listen))?;
    // Scripts and tests read this line to learn the port when listening on :0.
    println!("listening on http://{}", listener.local_addr()?);
    tracing::info!(addr = %listener.local_addr()?, "ronda-server ready");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            tokio::signal::ctrl_c().await.ok();
        })
        .await?;
    Ok(())
}
