import {
  type Diagnostic,
  diagnostic,
  type ExpressionSite,
  type NodeView,
  type PathSegment,
} from '@sluice/spec';
import { hostAllowed, staticHost } from '../shared/hosts.js';
import type { HttpConfig, HttpRequest } from './config.js';

/** Every host a node calls must be literal and on its allow-list (SL703, SL702). */
export function httpChecks(node: NodeView<HttpConfig>): Diagnostic[] {
  const { config, id: nodeId } = node;
  const out: Diagnostic[] = [];
  const checkUrl = (url: string, path: PathSegment[]): void => {
    const host = staticHost(url);
    if (!host.ok) {
      out.push(
        diagnostic('SL703', host.message, {
          nodeId,
          path,
          hint: 'write the scheme and host literally (https://api.example.com/...); expressions may follow in the path',
        }),
      );
      return;
    }
    if (!hostAllowed(host.hostname, host.port, config.allowHosts)) {
      const shown = host.port ? `${host.hostname}:${host.port}` : host.hostname;
      out.push(
        diagnostic('SL702', `"${shown}" is not in allowHosts`, {
          nodeId,
          path,
          hint: `add ${shown} to allowHosts if this node should call it`,
        }),
      );
    }
  };
  checkUrl(config.url, ['config', 'url']);
  if (config.compensation) checkUrl(config.compensation.url, ['config', 'compensation', 'url']);
  return out;
}

/** The templates and CEL of a request, at their paths; `scope` marks compensation requests. */
export function requestSites(
  request: Pick<HttpRequest, 'url' | 'headers' | 'body'>,
  base: PathSegment[],
  scope: 'step' | 'compensation',
): ExpressionSite[] {
  const sites: ExpressionSite[] = [{ path: [...base, 'url'], source: request.url, mode: 'template', scope }];
  for (const [name, value] of Object.entries(request.headers)) {
    sites.push({ path: [...base, 'headers', name], source: value, mode: 'template', scope });
  }
  for (const [field, source] of Object.entries(request.body ?? {})) {
    sites.push({ path: [...base, 'body', field], source, mode: 'value', scope });
  }
  return sites;
}
