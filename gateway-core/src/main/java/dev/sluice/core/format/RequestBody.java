package dev.sluice.core.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.sluice.core.error.InvalidRequestException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A JSON request body (OpenAI's format, or Anthropic's or Gemini's on their routes), validated once and kept as bytes so that the fast path can forward
 * it with only the {@code model} value spliced (and, for streams, usage asked for), leaving every other
 * byte, and every field the gateway does not know, exactly as the caller sent it. The gateway's own field,
 * {@code fallbacks}, is read here and never forwarded.
 */
public final class RequestBody {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int ABSENT = -1;
    /** The longest model name: the store keeps model names in columns of 255 characters. */
    public static final int MAX_MODEL_LENGTH = 255;

    private final byte[] bytes;
    private final String model;
    private final boolean stream;
    private final boolean usageRequested;
    private final boolean background;
    private final Set<String> fields;
    private final List<String> fallbacks;
    /** The bytes to cut to remove the {@code fallbacks} field, its comma included. */
    private final int fallbacksCutStart;
    private final int fallbacksCutEnd;
    /** Byte ranges found while validating, so that rewriting needs no second parse. */
    private final int modelStart;
    private final int modelEnd;
    private final int streamOptionsOpen;
    private final int streamOptionsClose;
    private final int includeUsageStart;
    private final int includeUsageEnd;
    private final int bodyClose;
    private final int backgroundStart;
    private final int streamStart;

    private RequestBody(Scan scan, byte[] bytes) {
        this.bytes = bytes;
        this.model = scan.model;
        this.stream = scan.stream;
        this.usageRequested = scan.includeUsage;
        this.background = scan.background;
        this.fields = scan.fields;
        this.fallbacks = scan.fallbacks;
        if (scan.fallbacksNameStart == ABSENT) {
            this.fallbacksCutStart = ABSENT;
            this.fallbacksCutEnd = ABSENT;
        } else if (scan.fallbacksPrecededBy != ABSENT) {
            // From the end of the value before it: ', "fallbacks": [...]'.
            this.fallbacksCutStart = scan.fallbacksPrecededBy;
            this.fallbacksCutEnd = scan.fallbacksValueEnd;
        } else if (scan.fallbacksFollowedBy != ABSENT) {
            // The first field: '"fallbacks": [...], ' up to the next field's name.
            this.fallbacksCutStart = scan.fallbacksNameStart;
            this.fallbacksCutEnd = scan.fallbacksFollowedBy;
        } else {
            this.fallbacksCutStart = scan.fallbacksNameStart;
            this.fallbacksCutEnd = scan.fallbacksValueEnd;
        }
        this.backgroundStart = scan.backgroundStart;
        this.streamStart = scan.streamStart;
        this.modelStart = scan.modelStart;
        this.modelEnd = scan.modelEnd;
        this.streamOptionsOpen = scan.streamOptionsOpen;
        this.streamOptionsClose = scan.streamOptionsClose;
        this.includeUsageStart = scan.includeUsageStart;
        this.includeUsageEnd = scan.includeUsageEnd;
        this.bodyClose = scan.bodyClose;
    }

    /**
     * Reads the whole body once: it must be a JSON object with a string {@code model} (at most
     * {@value #MAX_MODEL_LENGTH} characters, no control characters); {@code stream}, when present, must be a boolean.
     *
     * @throws InvalidRequestException saying what is wrong with the body
     */
    public static RequestBody parse(byte[] bytes) {
        Scan scan = scan(bytes);
        if (scan.model == null || scan.model.isBlank()) {
            throw new InvalidRequestException("You must provide a model parameter.", "model");
        }
        checkModelName(scan.model);
        return new RequestBody(scan, bytes);
    }

    /**
     * Reads the body as {@link #parse(byte[])} does, answering a bad one with a value: for callers to whom a bad body is
     * an outcome to report (a batch line's check, a stored job's description), not a request to refuse.
     */
    public static ParsedBody read(byte[] bytes) {
        try {
            return new ParsedBody.Valid(parse(bytes));
        } catch (InvalidRequestException e) {
            // The scan stops at the first problem by throwing; this is the one place that becomes a value.
            return new ParsedBody.Invalid(e);
        }
    }

    /**
     * Reads a body whose model and streaming are named by the URL, as Gemini's are; the body must be a JSON object,
     * and is forwarded as it is.
     *
     * @throws InvalidRequestException saying what is wrong with the body
     */
    public static RequestBody parse(byte[] bytes, String model, boolean stream) {
        checkModelName(model);
        Scan scan = scan(bytes);
        scan.model = model;
        scan.modelStart = ABSENT;
        scan.stream = stream;
        scan.streamStart = ABSENT;
        return new RequestBody(scan, bytes);
    }

    /**
     * Refuses a model name no provider has: one too long to store, or with a control character, which would also
     * break the response header that names the model.
     */
    private static void checkModelName(String model) {
        if (model.length() > MAX_MODEL_LENGTH) {
            throw new InvalidRequestException("'model' is " + model.length() + " characters long (expected: at most "
                    + MAX_MODEL_LENGTH + ").", "model");
        }
        for (int i = 0; i < model.length(); i++) {
            if (Character.isISOControl(model.charAt(i))) {
                throw new InvalidRequestException("'model' holds a control character (U+" + String.format("%04X", (int) model.charAt(i))
                        + " at index " + i + "); model names are printable text.", "model");
            }
        }
    }

    private static Scan scan(byte[] bytes) {
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidRequestException("Request body must be a JSON object.", null);
            }
            Scan scan = new Scan();
            int valueEnd = ABSENT;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                int nameStart = (int) parser.currentTokenLocation().getByteOffset();
                if (scan.fallbacksNameStart != ABSENT && scan.fallbacksFollowedBy == ABSENT && scan.fallbacksPrecededBy == ABSENT) {
                    scan.fallbacksFollowedBy = nameStart;
                }
                JsonToken value = parser.nextToken();
                if (value != JsonToken.VALUE_NULL) {
                    scan.fields.add(field);
                }
                switch (field) {
                    case "model" -> scan.model(parser, value);
                    case "stream" -> scan.stream(parser, value);
                    case "stream_options" -> scan.streamOptions(parser, value);
                    case "background" -> scan.background(parser, value);
                    case "fallbacks" -> scan.fallbacks(parser, value, nameStart, valueEnd);
                    default -> parser.skipChildren();
                }
                valueEnd = (int) parser.currentLocation().getByteOffset();
                if (field.equals("fallbacks")) {
                    scan.fallbacksValueEnd = valueEnd;
                }
            }
            scan.bodyClose = (int) parser.currentTokenLocation().getByteOffset();
            if (parser.nextToken() != null) {
                throw new InvalidRequestException("Request body has content after the JSON object.", null);
            }
            return scan;
        } catch (IOException e) {
            throw new InvalidRequestException("Request body is not valid JSON: " + firstLine(e.getMessage()), null);
        }
    }

    public String model() {
        return model;
    }

    public boolean stream() {
        return stream;
    }

    /** Whether the caller asked for the usage chunk of a stream ({@code stream_options.include_usage}). */
    public boolean usageRequested() {
        return usageRequested;
    }

    /** Whether the caller asked OpenAI's background mode ({@code "background": true}), which the gateway runs as a job. */
    public boolean background() {
        return background;
    }

    /**
     * The request's own fallbacks ({@code "fallbacks": ["provider/model", ...]}), tried in order when its model
     * fails; {@code null} when it names none, so that configured defaults apply (an empty list means none at all).
     */
    public List<String> fallbacks() {
        return fallbacks;
    }

    /** Whether the top-level object has this field with a non-null value. */
    public boolean has(String field) {
        return fields.contains(field);
    }

    /** The body exactly as received. The array is shared: do not modify it. */
    public byte[] bytes() {
        return bytes;
    }

    /** The body as a provider may see it: as received, without the gateway's own {@code fallbacks} field. */
    public byte[] forwarded() {
        if (fallbacksCutStart == ABSENT) {
            return bytes;
        }
        Splicer out = new Splicer(bytes);
        out.replace(fallbacksCutStart, fallbacksCutEnd, "");
        return out.finish();
    }

    /** The same body asking for one answer instead of a stream ({@code "stream": false}); itself when it does. */
    public RequestBody withoutStream() {
        if (!stream) {
            return this;
        }
        if (modelStart == ABSENT) {
            return parse(bytes, model, false);
        }
        Splicer out = new Splicer(bytes);
        out.replace(streamStart, streamStart + "true".length(), "false");
        return parse(out.finish());
    }

    /** The body with only the {@code model} value replaced; every other byte is the caller's. */
    public byte[] withModel(String newModel) {
        return forUpstream(newModel, false);
    }

    /**
     * The body for the provider: {@code model} replaced; when {@code askUsage} is set and the caller did not
     * ask already, {@code stream_options.include_usage} set to true so the stream ends with its usage; and
     * {@code background} turned off, since the gateway runs background requests itself, as jobs.
     */
    public byte[] forUpstream(String newModel, boolean askUsage) {
        boolean addUsage = askUsage && !usageRequested;
        if (newModel.equals(model) && !addUsage && !background && fallbacksCutStart == ABSENT) {
            return bytes;
        }
        Splicer out = new Splicer(bytes);
        if (fallbacksCutStart != ABSENT) {
            out.replace(fallbacksCutStart, fallbacksCutEnd, "");
        }
        if (modelStart != ABSENT) {
            out.replace(modelStart, modelEnd, quote(newModel));
        }
        if (background) {
            out.replace(backgroundStart, backgroundStart + "true".length(), "false");
        }
        if (addUsage) {
            if (includeUsageStart != ABSENT) {
                out.replace(includeUsageStart, includeUsageEnd, "true");
            } else if (streamOptionsOpen != ABSENT) {
                boolean empty = streamOptionsClose == nextNonSpace(streamOptionsOpen + 1);
                out.replace(streamOptionsOpen + 1, streamOptionsOpen + 1, "\"include_usage\":true" + (empty ? "" : ","));
            } else {
                out.replace(bodyClose, bodyClose, ",\"stream_options\":{\"include_usage\":true}");
            }
        }
        return out.finish();
    }

    private int nextNonSpace(int from) {
        int at = from;
        while (at < bytes.length && Character.isWhitespace(bytes[at])) {
            at++;
        }
        return at;
    }

    private static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** What the single validating pass found. */
    private static final class Scan {
        String model;
        boolean stream;
        boolean includeUsage;
        int modelStart = ABSENT;
        int modelEnd = ABSENT;
        int streamOptionsOpen = ABSENT;
        int streamOptionsClose = ABSENT;
        int includeUsageStart = ABSENT;
        int includeUsageEnd = ABSENT;
        int bodyClose = ABSENT;
        boolean background;
        int backgroundStart = ABSENT;
        int streamStart = ABSENT;
        final Set<String> fields = new HashSet<>();
        List<String> fallbacks;
        int fallbacksNameStart = ABSENT;
        int fallbacksPrecededBy = ABSENT;
        int fallbacksFollowedBy = ABSENT;
        int fallbacksValueEnd = ABSENT;

        void fallbacks(JsonParser parser, JsonToken value, int nameStart, int previousValueEnd) throws IOException {
            fallbacksNameStart = nameStart;
            fallbacksPrecededBy = previousValueEnd;
            if (value == JsonToken.VALUE_NULL) {
                return;
            }
            if (value != JsonToken.START_ARRAY) {
                throw new InvalidRequestException("'fallbacks' must be an array of \"provider/model\" strings.", "fallbacks");
            }
            List<String> models = new ArrayList<>();
            for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
                if (item != JsonToken.VALUE_STRING || parser.getText().isBlank()) {
                    throw new InvalidRequestException("'fallbacks' must be an array of \"provider/model\" strings; item "
                            + models.size() + " is not.", "fallbacks");
                }
                models.add(parser.getText());
            }
            fallbacks = List.copyOf(models);
        }

        void model(JsonParser parser, JsonToken value) throws IOException {
            if (value != JsonToken.VALUE_STRING) {
                throw new InvalidRequestException("'model' must be a string.", "model");
            }
            modelStart = (int) parser.currentTokenLocation().getByteOffset();
            model = parser.getText();
            modelEnd = (int) parser.currentLocation().getByteOffset();
        }

        void stream(JsonParser parser, JsonToken value) {
            if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE && value != JsonToken.VALUE_NULL) {
                throw new InvalidRequestException("'stream' must be a boolean.", "stream");
            }
            stream = value == JsonToken.VALUE_TRUE;
            streamStart = (int) parser.currentTokenLocation().getByteOffset();
        }

        void background(JsonParser parser, JsonToken value) throws IOException {
            if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE && value != JsonToken.VALUE_NULL) {
                throw new InvalidRequestException("'background' must be a boolean.", "background");
            }
            background = value == JsonToken.VALUE_TRUE;
            backgroundStart = (int) parser.currentTokenLocation().getByteOffset();
        }

        void streamOptions(JsonParser parser, JsonToken value) throws IOException {
            if (value != JsonToken.START_OBJECT) {
                parser.skipChildren();
                return;
            }
            streamOptionsOpen = (int) parser.currentTokenLocation().getByteOffset();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken option = parser.nextToken();
                if (field.equals("include_usage") && (option == JsonToken.VALUE_TRUE || option == JsonToken.VALUE_FALSE)) {
                    includeUsage = option == JsonToken.VALUE_TRUE;
                    includeUsageStart = (int) parser.currentTokenLocation().getByteOffset();
                    includeUsageEnd = includeUsageStart + (includeUsage ? 4 : 5);
                } else {
                    parser.skipChildren();
                }
            }
            streamOptionsClose = (int) parser.currentTokenLocation().getByteOffset();
        }
    }

    /** Copies the body with some byte ranges replaced; the ranges never overlap. */
    private static final class Splicer {
        private record Splice(int start, int end, String text) {
        }

        private final byte[] source;
        private final List<Splice> splices = new ArrayList<>(3);

        Splicer(byte[] source) {
            this.source = source;
        }

        void replace(int start, int end, String replacement) {
            splices.add(new Splice(start, end, replacement));
        }

        byte[] finish() {
            splices.sort(Comparator.comparingInt(Splice::start));
            ByteArrayOutputStream out = new ByteArrayOutputStream(source.length + 48);
            int copied = 0;
            for (Splice splice : splices) {
                out.write(source, copied, splice.start - copied);
                out.writeBytes(splice.text.getBytes(StandardCharsets.UTF_8));
                copied = splice.end;
            }
            out.write(source, copied, source.length - copied);
            return out.toByteArray();
        }
    }
}
