package io.wsk.redis;

import java.util.regex.Pattern;

/**
 * A Redis stream entry id, {@code <milliseconds>-<sequence>}: what a client holds as its offset,
 * compared as the stream orders entries.
 */
record StreamId(long millis, long sequence) implements Comparable<StreamId> {

    /** The reference's check of a client's offset before it asks Redis anything. */
    private static final Pattern FORMAT = Pattern.compile("^[0-9]+-[0-9]+$");

    /** The id {@code text} names, or {@code null} if it is not one. */
    static StreamId parse(String text) {
        if (text == null || text.length() > 41 || !FORMAT.matcher(text).matches()) {
            return null;
        }
        int dash = text.indexOf('-');
        try {
            return new StreamId(Long.parseUnsignedLong(text.substring(0, dash)), Long.parseUnsignedLong(text.substring(dash + 1)));
        } catch (NumberFormatException e) {
            return null; // past 2^64
        }
    }

    /** The smallest id after this one: where an exclusive range starts (for Redis before 6.2 too). */
    StreamId next() {
        return sequence == -1L ? new StreamId(millis + 1, 0) : new StreamId(millis, sequence + 1);
    }

    @Override
    public int compareTo(StreamId other) {
        int byMillis = Long.compareUnsigned(millis, other.millis);
        return byMillis != 0 ? byMillis : Long.compareUnsigned(sequence, other.sequence);
    }

    boolean isAfter(StreamId other) {
        return compareTo(other) > 0;
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(millis) + "-" + Long.toUnsignedString(sequence);
    }
}
