import type { RouteObject } from 'react-router';
import { Home } from './home.tsx';

/** Screens are lazy-loaded: each is its own chunk. */
export const routes: RouteObject[] = [{ path: '/', element: <Home /> }];
