/**
 * Private API: the feed: reading it and writing applied changes to it. Not for use outside Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.core.internal.feed;
