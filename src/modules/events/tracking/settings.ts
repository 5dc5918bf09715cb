/**
 * The settings document analytics.js (@segment/analytics-next) fetches from
 * `${cdnURL}/v1/projects/${writeKey}/settings` at start. Its 'Segment.io' integration tells the
 * browser where to send events (apiHost, protocol): this server, so no request leaves for Segment.
 * No destinations, no remote plugins, no middleware; the library's own metrics are off.
 */
export const settingsDocument = (writeKey: string, apiHost: string, protocol: string) => ({
  integrations: {
    'Segment.io': {
      apiKey: writeKey,
      apiHost,
      protocol,
      unbundledIntegrations: [],
      addBundledMetadata: true,
      maybeBundledConfigIds: {},
      versionSettings: { componentTypes: [] },
    },
  },
  plan: {
    track: { __default: { enabled: true, integrations: {} } },
    identify: { __default: { enabled: true } },
    group: { __default: { enabled: true } },
  },
  edgeFunction: {},
  analyticsNextEnabled: true,
  middlewareSettings: {},
  enabledMiddleware: {},
  metrics: { sampleRate: 0 },
  legacyVideoPluginsEnabled: false,
  remotePlugins: [],
});
