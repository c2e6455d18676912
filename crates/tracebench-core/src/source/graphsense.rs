//! GraphSense REST: an agency's own whole-chain clustering (Spark + Cassandra) asked from the
//! workbench. Routes used (GraphSense REST API): `/{currency}/addresses/{address}` (the
//! address, with its entity id), `/{currency}/addresses/{address}/entity` (the entity: cluster
//! id, root address, size) and `/{currency}/addresses/{address}/tags` (attribution tags). The API
//! key is sent in the `Authorization` header, as GraphSense expects, and stored as `***`.

use serde::{Deserialize, Serialize};

use super::policy::Gate;
use super::{body_excerpt, describe_request, redact_url, Clock, SourceError, SourceSpec};
use crate::store::RawResponse;

/// A connected GraphSense REST API.
#[derive(Clone)]
pub struct GraphSense {
    client: reqwest::Client,
    spec: SourceSpec,
    api_key: Option<String>,
    clock: Clock,
    gate: Gate,
}

impl std::fmt::Debug for GraphSense {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphSense")
            .field("spec", &self.spec)
            .field("api_key", &self.api_key.as_ref().map(|_| "***"))
            .finish()
    }
}

/// One attribution tag as GraphSense gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphSenseTag {
    pub label: String,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub abuse: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub actor: Option<String>,
    #[serde(default)]
    pub confidence: Option<String>,
    #[serde(default)]
    pub tagpack_title: Option<String>,
}

/// What GraphSense knows about an address: its entity (cluster) and tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddressEntity {
    pub currency: String,
    pub address: String,
    /// The entity (cluster) id in that GraphSense instance.
    pub entity: u64,
    pub root_address: Option<String>,
    /// Addresses in the entity.
    pub no_addresses: Option<u64>,
    pub tags: Vec<GraphSenseTag>,
    /// The source id the answer came from.
    pub source_id: String,
}

#[derive(Deserialize)]
struct AddressBody {
    address: String,
    entity: u64,
}

#[derive(Deserialize)]
struct EntityBody {
    entity: u64,
    #[serde(default)]
    root_address: Option<String>,
    #[serde(default)]
    no_addresses: Option<u64>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum TagsBody {
    Paged { address_tags: Vec<GraphSenseTag> },
    List(Vec<GraphSenseTag>),
}

impl GraphSense {
    pub fn new(
        client: reqwest::Client,
        spec: SourceSpec,
        api_key: Option<String>,
        clock: Clock,
        gate: Gate,
    ) -> GraphSense {
        let spec = spec.without_trailing_slash();
        GraphSense {
            client,
            spec,
            api_key,
            clock,
            gate,
        }
    }

    /// A GraphSense source with its own HTTP client under `policy`.
    pub fn connect(
        spec: SourceSpec,
        api_key: Option<String>,
        policy: super::policy::Policy,
        clock: Clock,
    ) -> GraphSense {
        let client = reqwest::Client::builder()
            .user_agent(concat!("Tracebench/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("the HTTP client builds with static settings");
        let gate = Gate::new(&spec.id, policy, clock.clone());
        GraphSense::new(client, spec, api_key, clock, gate)
    }

    pub fn spec(&self) -> &SourceSpec {
        &self.spec
    }

    async fn get(&self, endpoint: &str) -> Result<RawResponse, SourceError> {
        let url = format!("{}{}", self.spec.base_url, endpoint);
        let redacted = redact_url(&url);
        let retrieved_at = self.clock.now_rfc3339();
        let answer = self
            .gate
            .send(
                &redacted,
                || {
                    let r = self
                        .client
                        .get(&url)
                        .header(reqwest::header::ACCEPT, "application/json");
                    match &self.api_key {
                        Some(k) => r.header(reqwest::header::AUTHORIZATION, k),
                        None => r,
                    }
                },
                |_, _| false,
            )
            .await?;
        if answer.status == 401 || answer.status == 403 {
            return Err(SourceError::Credentials {
                source_id: self.spec.id.clone(),
                detail: format!(
                    "GraphSense refused the API key (HTTP {}) for {redacted}: check api_key under [source.\"{}\"] in config.toml",
                    answer.status, self.spec.id
                ),
            });
        }
        if !(200..300).contains(&answer.status) {
            return Err(SourceError::Http {
                source_id: self.spec.id.clone(),
                url: redacted,
                status: answer.status,
                body: body_excerpt(&answer.body),
            });
        }
        let mut headers = vec![("Accept", "application/json")];
        if self.api_key.is_some() {
            headers.push(("Authorization", "key"));
        }
        Ok(RawResponse {
            source_id: self.spec.id.clone(),
            endpoint: endpoint.to_string(),
            request: describe_request("GET", &url, &headers),
            retrieved_at,
            status: answer.status,
            content_type: answer.content_type,
            body: answer.body,
        })
    }

    fn malformed(&self, endpoint: &str, detail: String) -> SourceError {
        SourceError::Malformed {
            source_id: self.spec.id.clone(),
            endpoint: endpoint.to_string(),
            detail,
        }
    }

    /// The address's entity and tags: three requests, all returned for storage.
    pub async fn lookup(
        &self,
        currency: &str,
        address: &str,
    ) -> Result<(Vec<RawResponse>, AddressEntity), SourceError> {
        let currency = currency.to_ascii_lowercase();
        if currency.is_empty() || !currency.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(self.malformed(
                "",
                format!("{currency:?} is not a GraphSense currency code (btc, eth, …)"),
            ));
        }
        let base = format!("/{currency}/addresses/{address}");
        let a_raw = self.get(&base).await?;
        let a: AddressBody = serde_json::from_slice(&a_raw.body)
            .map_err(|e| self.malformed(&base, e.to_string()))?;
        if a.address != address {
            return Err(self.malformed(&base, format!("asked for {address} but got {}", a.address)));
        }
        let e_endpoint = format!("{base}/entity");
        let e_raw = self.get(&e_endpoint).await?;
        let e: EntityBody = serde_json::from_slice(&e_raw.body)
            .map_err(|err| self.malformed(&e_endpoint, err.to_string()))?;
        if e.entity != a.entity {
            return Err(self.malformed(
                &e_endpoint,
                format!(
                    "the address names entity {} but the entity answer is {}",
                    a.entity, e.entity
                ),
            ));
        }
        let t_endpoint = format!("{base}/tags");
        let t_raw = self.get(&t_endpoint).await?;
        let tags = match serde_json::from_slice::<TagsBody>(&t_raw.body)
            .map_err(|err| self.malformed(&t_endpoint, err.to_string()))?
        {
            TagsBody::Paged { address_tags } => address_tags,
            TagsBody::List(list) => list,
        };
        let view = AddressEntity {
            currency,
            address: address.to_string(),
            entity: e.entity,
            root_address: e.root_address,
            no_addresses: e.no_addresses,
            tags,
            source_id: self.spec.id.clone(),
        };
        Ok((vec![a_raw, e_raw, t_raw], view))
    }
}
