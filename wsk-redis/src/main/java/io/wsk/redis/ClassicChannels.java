package io.wsk.redis;

/**
 * The channel names of {@code @socket.io/redis-adapter} (classic pub/sub) for one namespace, with
 * the key prefix {@code socket.io} by default:
 * <ul>
 *   <li>{@code socket.io#<nsp>#} broadcasts to the whole namespace or several rooms,</li>
 *   <li>{@code socket.io#<nsp>#<room>#} broadcasts to exactly one room,</li>
 *   <li>{@code socket.io-request#<nsp>#} requests, {@code socket.io-response#<nsp>#} responses.</li>
 * </ul>
 */
record ClassicChannels(String prefix, String nsp) {

    /** Where a broadcast to the whole namespace or to several rooms goes. */
    String broadcast() {
        return prefix + "#" + nsp + "#";
    }

    /** Where a broadcast to exactly one room goes. */
    String broadcast(String room) {
        return broadcast() + room + "#";
    }

    /** The pattern that receives every broadcast of the namespace. */
    String broadcastPattern() {
        return broadcast() + "*";
    }

    String request() {
        return prefix + "-request#" + nsp + "#";
    }

    String response() {
        return prefix + "-response#" + nsp + "#";
    }

    /** The response channel of one node ({@code publishOnSpecificResponseChannel}). */
    String response(String uid) {
        return response() + uid + "#";
    }

    /**
     * The room a broadcast channel names: empty for the namespace channel, {@code null} if the
     * channel is not one of this namespace's broadcast channels.
     */
    String roomOf(String channel) {
        String base = broadcast();
        if (!channel.startsWith(base)) {
            return null;
        }
        if (channel.length() == base.length()) {
            return "";
        }
        return channel.endsWith("#") ? channel.substring(base.length(), channel.length() - 1) : null;
    }
}
