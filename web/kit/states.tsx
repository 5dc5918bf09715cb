/** Error boundaries with retry, and one wrapper for the loading / error / empty states of a query. */
import { QueryErrorResetBoundary, type UseQueryResult } from '@tanstack/react-query';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { ProblemAlert, Skeleton } from './ui.tsx';

interface BoundaryProps {
  children: ReactNode;
  onReset?: () => void;
}
interface BoundaryState {
  error: unknown;
}

class Boundary extends Component<BoundaryProps, BoundaryState> {
  override state: BoundaryState = { error: undefined };
  static getDerivedStateFromError(error: unknown): BoundaryState {
    return { error };
  }
  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // Kept for the developer console; the user sees the message and a retry button.
    void error;
    void info;
  }
  reset = () => {
    this.props.onReset?.();
    this.setState({ error: undefined });
  };
  override render() {
    if (this.state.error !== undefined) return <ProblemAlert error={this.state.error} onRetry={this.reset} />;
    return this.props.children;
  }
}

/** Catches what a screen throws (render errors, failed suspense queries) and offers a retry. */
export const ErrorBoundary = ({ children }: { children: ReactNode }) => (
  <QueryErrorResetBoundary>
    {({ reset }) => <Boundary onReset={reset}>{children}</Boundary>}
  </QueryErrorResetBoundary>
);

/** Renders a query's data, or a skeleton while it loads, or its error with a retry button. */
export const QueryState = <T,>({
  query,
  children,
  lines,
}: {
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
  lines?: number;
}) => {
  if (query.isPending) return <Skeleton lines={lines ?? 3} />;
  if (query.isError) return <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />;
  return <>{children(query.data)}</>;
};
