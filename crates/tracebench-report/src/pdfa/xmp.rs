//! The XMP metadata packet of a report: PDF/A identification (`pdfaid:part` 2,
//! `pdfaid:conformance` B), the document-information values mirrored exactly (title, author,
//! subject, keywords, creator tool, producer, dates), the document id, and the report seal
//! (`tbr:manifest`, `tbr:manifestSHA256`) with the PDF/A extension schema that declares it.

/// Namespace of the report seal's XMP properties.
pub const SEAL_NAMESPACE: &str = "http://ns.tracebench.org/report/1.0/";

/// The values the packet states; each equals its document-information counterpart.
#[derive(Debug, Clone, PartialEq)]
pub struct Packet<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub subject: &'a str,
    pub keywords: &'a str,
    pub creator_tool: &'a str,
    pub producer: &'a str,
    /// `YYYY-MM-DDThh:mm:ss+00:00`.
    pub date: &'a str,
    /// `uuid:…`.
    pub document_id: &'a str,
    pub manifest_json: &'a str,
    pub manifest_sha256: &'a str,
}

/// Escapes element text (never used in attributes): `&`, `<` and `>`, so the JSON manifest
/// stays readable as is.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

pub fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The text of the first `<tag>…</tag>` element in `xml`, unescaped.
pub fn element(xml: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&close)?;
    Some(unescape(&xml[start..end]))
}

impl Packet<'_> {
    /// The packet as UTF-8 bytes (written uncompressed, as PDF/A asks).
    pub fn to_bytes(&self) -> Vec<u8> {
        let e = escape;
        let mut x = String::new();
        x.push_str("<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
        x.push_str("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n");
        x.push_str("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
        x.push_str(
            "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n\
             <pdfaid:part>2</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n\
             </rdf:Description>\n",
        );
        x.push_str(
            "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n",
        );
        x.push_str("<dc:format>application/pdf</dc:format>\n");
        x.push_str(&format!(
            "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:title>\n",
            e(self.title)
        ));
        if !self.author.is_empty() {
            x.push_str(&format!(
                "<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>\n",
                e(self.author)
            ));
        }
        if !self.subject.is_empty() {
            x.push_str(&format!(
                "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:description>\n",
                e(self.subject)
            ));
        }
        x.push_str("</rdf:Description>\n");
        x.push_str(&format!(
            "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n\
             <xmp:CreatorTool>{}</xmp:CreatorTool>\n<xmp:CreateDate>{d}</xmp:CreateDate>\n\
             <xmp:ModifyDate>{d}</xmp:ModifyDate>\n<xmp:MetadataDate>{d}</xmp:MetadataDate>\n\
             </rdf:Description>\n",
            e(self.creator_tool),
            d = e(self.date)
        ));
        x.push_str("<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n");
        x.push_str(&format!(
            "<pdf:Producer>{}</pdf:Producer>\n",
            e(self.producer)
        ));
        if !self.keywords.is_empty() {
            x.push_str(&format!(
                "<pdf:Keywords>{}</pdf:Keywords>\n",
                e(self.keywords)
            ));
        }
        x.push_str("</rdf:Description>\n");
        x.push_str(&format!(
            "<rdf:Description rdf:about=\"\" xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\">\n\
             <xmpMM:DocumentID>{id}</xmpMM:DocumentID>\n<xmpMM:InstanceID>{id}</xmpMM:InstanceID>\n\
             </rdf:Description>\n",
            id = e(self.document_id)
        ));
        x.push_str(&format!(
            "<rdf:Description rdf:about=\"\" \
             xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" \
             xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" \
             xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n\
             <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n\
             <pdfaSchema:schema>Tracebench report seal</pdfaSchema:schema>\n\
             <pdfaSchema:namespaceURI>{SEAL_NAMESPACE}</pdfaSchema:namespaceURI>\n\
             <pdfaSchema:prefix>tbr</pdfaSchema:prefix>\n\
             <pdfaSchema:property><rdf:Seq>\n\
             <rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>manifest</pdfaProperty:name>\
             <pdfaProperty:valueType>Text</pdfaProperty:valueType>\
             <pdfaProperty:category>internal</pdfaProperty:category>\
             <pdfaProperty:description>JSON manifest of the figures the report states \
             (tracebench report verify)</pdfaProperty:description></rdf:li>\n\
             <rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>manifestSHA256</pdfaProperty:name>\
             <pdfaProperty:valueType>Text</pdfaProperty:valueType>\
             <pdfaProperty:category>internal</pdfaProperty:category>\
             <pdfaProperty:description>SHA-256 of the manifest text</pdfaProperty:description></rdf:li>\n\
             </rdf:Seq></pdfaSchema:property>\n\
             </rdf:li></rdf:Bag></pdfaExtension:schemas>\n\
             </rdf:Description>\n"
        ));
        x.push_str(&format!(
            "<rdf:Description rdf:about=\"\" xmlns:tbr=\"{SEAL_NAMESPACE}\">\n\
             <tbr:manifestSHA256>{}</tbr:manifestSHA256>\n<tbr:manifest>{}</tbr:manifest>\n\
             </rdf:Description>\n",
            e(self.manifest_sha256),
            e(self.manifest_json)
        ));
        x.push_str("</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>");
        x.into_bytes()
    }
}
