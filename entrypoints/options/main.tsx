/** The options page: the agent's backend URL and token (EXT-AUTH-1). */
import { createRoot } from 'react-dom/client';
import { Options } from '../../components/Options.tsx';
import '../../components/options.css';

const root = document.getElementById('root');
if (root) createRoot(root).render(<Options />);
