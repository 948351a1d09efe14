import { ArcElement, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

// Register only what the dashboard draws, so the rest of chart.js stays out of the bundle.
Chart.register(ArcElement, BarElement, CategoryScale, LinearScale, Legend, Tooltip);
