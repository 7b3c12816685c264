// Component tests run alongside a Rust build on a 2-core machine: give asynchronous screens
// time to settle before a test gives up (the default second is too short under load).
import { configure } from '@testing-library/svelte';

configure({ asyncUtilTimeout: 5000 });
