// The Graph API version this service speaks, in one place: META_GRAPH_URL's default is built from it, and
// the test suite's fake Graph API answers under it. Meta keeps a version about two years (v20.0 expired on
// 24 September 2026, v21.0 goes on 21 January 2027); v26.0 came out on 29 July 2026. Moving on means
// changing this line after reading the changelog for what the new version changes in the Cloud API.
export const GRAPH_API_VERSION = 'v26.0';

export const GRAPH_API_URL = `https://graph.facebook.com/${GRAPH_API_VERSION}`;
