package org.atl03.datasource.io.http;

import java.net.URI;

/** URLs as messages may show them: without user info and query (pre-signed URLs carry signatures there). */
final class Urls {

  private Urls() {}

  static String redact(URI uri) {
    StringBuilder s = new StringBuilder();
    if (uri.getScheme() != null) {
      s.append(uri.getScheme()).append("://");
    }
    if (uri.getHost() != null) {
      s.append(uri.getHost());
      if (uri.getPort() >= 0) {
        s.append(':').append(uri.getPort());
      }
    }
    s.append(uri.getRawPath() == null ? "" : uri.getRawPath());
    if (uri.getRawQuery() != null) {
      s.append("?…");
    }
    return s.toString();
  }

  static boolean isLoopback(URI uri) {
    String host = uri.getHost();
    return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")
        || host.equals("::1"));
  }
}
