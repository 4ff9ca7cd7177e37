package dev.sluice.core.error;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes secrets and internal addresses out of text that came from a provider or a connection: provider errors quote
 * the key's last characters ({@code "Incorrect API key provided: sk-proj-****abcd"}) and connection errors name
 * internal hosts and ports ({@code "Connection refused: /10.1.2.3:8443"}). Key-like tokens and the configured key
 * values are removed from logs and from answers; addresses only from answers, since an operator needs them. An
 * address is an IP address, a host with a port, a name internal by its suffix ({@code .svc}, {@code .internal},
 * {@code .local}, ...) or the provider's configured host, also inside a URL; public links such as a provider's
 * documentation stay, since they help the caller and reveal nothing.
 */
public final class SecretScrubber {

    /** Recognises key-like tokens and addresses by their look only; for text whose provider is not known. */
    public static final SecretScrubber GENERIC = new SecretScrubber(List.of(), List.of());

    static final String KEY = "[redacted]";
    static final String ADDRESS = "[address]";

    private static final int MIN_SECRET_LENGTH = 6;
    private static final JsonFactory JSON = JsonFactory.builder().build();
    // The machine-readable fields of an error envelope: kept as they are, so that callers can still branch on them.
    private static final Set<String> KEPT_FIELDS = Set.of("type", "code", "status", "param");

    private static final List<Pattern> KEY_PATTERNS = List.of(
            // Bearer credentials, whatever the token looks like.
            Pattern.compile("(?i)\\bbearer\\s+[A-Za-z0-9._~+/=*-]+"),
            // OpenAI (sk-, sk-proj-, sk-svcacct-), Anthropic (sk-ant-), virtual keys (sk-bf-), even when partly masked.
            Pattern.compile("\\b(?:sk|rk|pk)-[A-Za-z0-9_*.-]{5,}[A-Za-z0-9_*]"),
            // Google API keys.
            Pattern.compile("\\bAIza[0-9A-Za-z_-]{10,}"),
            // Groq, xAI, Hugging Face, Perplexity, NVIDIA, Cerebras, Replicate, GitHub tokens.
            Pattern.compile("\\b(?:gsk|xai|hf|pplx|nvapi|csk|r8|ghp|gho|github_pat)[-_][A-Za-z0-9_*-]{8,}"),
            // AWS access key ids, and JSON web tokens.
            Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"),
            Pattern.compile("\\beyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*"));

    // A credential given as name=value or name: value, as in a query string or a header quoted in a message.
    private static final Pattern NAMED_SECRET = Pattern.compile(
            "(?i)\\b((?:x-)?(?:goog-)?api[-_]?key|access[-_]?token|auth[-_]?token|secret|password|key|token)(\\s*[=:]\\s*)[^\\s\"'&,;]{6,}");

    private static final List<Pattern> ADDRESS_PATTERNS = List.of(
            // Netty's host/ip:port, and /ip:port (not the // of a URL).
            Pattern.compile("(?<!/)[A-Za-z0-9.-]*/\\d{1,3}(?:\\.\\d{1,3}){3}(?::\\d{1,5})?"),
            // Bracketed IPv6, with or without a port.
            Pattern.compile("\\[[0-9a-fA-F:.%]+](?::\\d{1,5})?"),
            // Bare IPv4, with or without a port.
            Pattern.compile("\\b\\d{1,3}(?:\\.\\d{1,3}){3}(?::\\d{1,5})?\\b"),
            // host:port, where the host has a letter (so that a time such as 10:30 is left alone).
            Pattern.compile("\\b(?=[A-Za-z0-9.-]*[A-Za-z])[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?:\\d{2,5}\\b"),
            // Names that are internal by their suffix.
            Pattern.compile("(?i)\\b[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.(?:local|localdomain|internal|svc|cluster|lan|corp|intranet|consul)\\b"));

    private static final Pattern PORT_AFTER_ADDRESS = Pattern.compile(Pattern.quote(ADDRESS) + ":\\d{1,5}\\b");

    private final List<String> secrets;
    private final List<String> hosts;

    private SecretScrubber(List<String> secrets, List<String> hosts) {
        this.secrets = longestFirst(secrets);
        this.hosts = longestFirst(hosts);
    }

    /**
     * Also removes these exact values: a provider's configured keys ({@code secrets}) and the hosts of its URLs
     * ({@code hosts}), which a provider's messages may quote in any form. Values shorter than six characters are ignored: they
     * could be ordinary words.
     */
    public static SecretScrubber of(Collection<String> secrets, Collection<String> hosts) {
        return new SecretScrubber(List.copyOf(secrets), List.copyOf(hosts));
    }

    private static List<String> longestFirst(Collection<String> values) {
        return values.stream().filter(value -> value != null && value.length() >= MIN_SECRET_LENGTH).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /** The text without secrets, addresses kept: what may be logged. */
    public String forLog(String text) {
        String scrubbed = text;
        for (String secret : secrets) {
            scrubbed = scrubbed.replace(secret, KEY);
        }
        for (Pattern pattern : KEY_PATTERNS) {
            scrubbed = pattern.matcher(scrubbed).replaceAll(KEY);
        }
        return NAMED_SECRET.matcher(scrubbed).replaceAll(match -> Matcher.quoteReplacement(match.group(1) + match.group(2) + KEY));
    }

    /** The text without secrets or addresses: what may be told to a caller. */
    public String forCaller(String text) {
        String scrubbed = forLog(text);
        for (String host : hosts) {
            scrubbed = scrubbed.replace(host, ADDRESS);
        }
        for (Pattern pattern : ADDRESS_PATTERNS) {
            scrubbed = pattern.matcher(scrubbed).replaceAll(ADDRESS);
        }
        // A configured host replaced on its own leaves its port behind.
        return PORT_AFTER_ADDRESS.matcher(scrubbed).replaceAll(ADDRESS);
    }

    /**
     * An error body fit for a caller: in a JSON body only the text fields are rewritten (the structure and the
     * {@code type}, {@code code}, {@code status} and {@code param} values stay), any other body is scrubbed as text.
     * Returns the same array when there was nothing to remove.
     */
    public byte[] forCaller(byte[] body) {
        if (body.length == 0) {
            return body;
        }
        byte[] scrubbed = rewriteJsonText(body);
        if (scrubbed == null) {
            String text = new String(body, StandardCharsets.UTF_8);
            String clean = forCaller(text);
            return clean.equals(text) ? body : clean.getBytes(StandardCharsets.UTF_8);
        }
        return scrubbed;
    }

    /** The JSON body with its text fields scrubbed, the same array when none changed, or {@code null} when not JSON. */
    private byte[] rewriteJsonText(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        boolean changed = false;
        try (JsonParser parser = JSON.createParser(body); JsonGenerator json = JSON.createGenerator(out)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
                return null;
            }
            for (JsonToken token = first; token != null; token = parser.nextToken()) {
                if (token == JsonToken.VALUE_STRING && !KEPT_FIELDS.contains(String.valueOf(parser.currentName()))) {
                    String text = parser.getText();
                    String clean = forCaller(text);
                    changed |= !clean.equals(text);
                    json.writeString(clean);
                } else {
                    json.copyCurrentEvent(parser);
                }
            }
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
        return changed ? out.toByteArray() : body;
    }
}
