import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { InsecureContextPage } from './InsecureContextPage';

describe('InsecureContextPage', () => {
  it('says in plain words why Fieldnotes has not started and links to the https address of the same page', () => {
    render(<InsecureContextPage location={{ hostname: 'fieldnotes.council.example', pathname: '/observations/new' }} />);
    expect(screen.getByRole('heading', { name: 'Use the secure address for Fieldnotes' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('That is not secure, so Fieldnotes has not started here and nothing has been saved on this device.');
    expect(screen.getByRole('link', { name: 'https://fieldnotes.council.example/observations/new' })).toHaveAttribute('href', 'https://fieldnotes.council.example/observations/new');
  });
});
