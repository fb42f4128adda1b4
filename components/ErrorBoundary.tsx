/** A rendering error says so in the panel instead of leaving an empty box on the CRM page. */
import { Component, type ReactNode } from 'react';

export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    if (this.state.error) {
      return (
        <aside className="panel" role="alert" aria-label="Aircall calls and SMS">
          <p className="body">The Aircall panel failed: {this.state.error.message}. Reload the page.</p>
        </aside>
      );
    }
    return this.props.children;
  }
}
