/*
 * The server contract this app is written against, as types only: nothing of the server or
 * of zod is bundled by these imports (they are erased at build time).
 */
export type { AppRouter, RouterOutputs } from '@sluice/api';
export type { Classification, EditorGraph, GraphEdge, GraphNode } from '@sluice/spec';
